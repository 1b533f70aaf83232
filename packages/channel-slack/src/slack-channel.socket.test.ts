import { ChannelApiError } from '@ngb/plugin-sdk';
import { createManualClock, type ManualClock } from '@ngb/plugin-sdk/testing';
import { createFakeSlackServer, type FakeSlackServer } from '@ngb/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, waitFor } from './__tests__/slack-test-context';
import { createSlackChannel, type SlackChannel } from './slack-channel';

const watchdogMs = 30_000;
let fake: FakeSlackServer;
let clock: ManualClock;
let channel: SlackChannel;
let test: ReturnType<typeof createTestContext>;

beforeEach(async () => {
  fake = await createFakeSlackServer({ users: [{ id: 'U1', name: 'ann', displayName: 'Ann' }] });
  clock = createManualClock();
  test = createTestContext();
  channel = createSlackChannel({
    botToken: fake.botToken,
    appToken: fake.appToken,
    apiUrl: fake.apiUrl,
    clock,
    watchdogMs,
    reconnectDelaysMs: [1_000, 5_000],
  });
});

afterEach(async () => {
  await channel.stop();
  await fake.close();
});

const states = () => test.statuses.map((status) => status.state);
const opens = () => fake.calls('apps.connections.open').length;

describe('Slack Socket Mode: connection', () => {
  it('starts with auth.test for self, then apps.connections.open with the app token, and is connected after hello', async () => {
    await channel.start(test.context);
    expect(channel.self).toEqual({ id: fake.botUserId, name: 'ngb' });
    expect(fake.calls().map((call) => call.method)).toEqual(['auth.test', 'apps.connections.open']);
    expect(fake.calls('apps.connections.open')[0]?.token).toBe(fake.appToken);
    expect(states()).toEqual(['connecting', 'connected']);
  });

  it('reconnects after a drop with the configured backoff, on the injected clock', async () => {
    await channel.start(test.context);
    fake.dropConnections();
    await waitFor(() => test.state() === 'disconnected', 'the disconnected status');
    expect(clock.pendingDelays()).toContain(1_000);
    expect(opens()).toBe(1);
    await clock.advance(1_000);
    await waitFor(() => test.state() === 'connected', 'the reconnection');
    expect(opens()).toBe(2);
    fake.postMessage({ channel: 'C1', user: 'U1', text: 'after the drop' });
    await waitFor(() => test.received[0], 'the message on the new connection');
  });

  it('reconnects at once, with a fresh apps.connections.open, when Slack sends a disconnect frame', async () => {
    await channel.start(test.context);
    fake.sendDisconnect('refresh_requested');
    await waitFor(() => opens() === 2 && test.state() === 'connected', 'the immediate reconnection');
    expect(states()).toEqual(['connecting', 'connected', 'disconnected', 'connecting', 'connected']);
    expect(test.statuses[2]).toMatchObject({ error: expect.stringContaining('disconnect frame') });
  });

  it('deaf connection: open but silent for watchdogMs → degraded, then a new connection that delivers what waited', async () => {
    await channel.start(test.context);
    fake.silence();
    fake.postMessage({ channel: 'C1', user: 'U1', text: 'lost in a deaf socket' });
    await clock.advance(watchdogMs - 1);
    expect(states()).not.toContain('degraded');
    expect(test.received).toEqual([]);
    await clock.advance(1);
    expect(test.statuses).toContainEqual({ state: 'degraded', detail: expect.stringContaining(`${watchdogMs} ms`) });
    await waitFor(() => test.state() === 'connected' && opens() === 2, 'the new connection');
    const message = await waitFor(() => test.received[0], 'the message that waited');
    expect(message.text).toBe('lost in a deaf socket');
    expect(test.received).toHaveLength(1);
  });

  it('a server ping counts as life: the watchdog starts over and nothing reconnects', async () => {
    await channel.start(test.context);
    await clock.advance(watchdogMs - 10);
    fake.ping();
    await waitFor(() => clock.pendingDelays().includes(watchdogMs), 'the watchdog re-armed by the ping');
    await clock.advance(watchdogMs - 10);
    expect(states()).toEqual(['connecting', 'connected']);
    expect(opens()).toBe(1);
  });

  it('a refused app token on reconnect marks the channel failed and stops trying (no crash loop)', async () => {
    await channel.start(test.context);
    fake.failNext('apps.connections.open', { error: 'invalid_auth' });
    fake.dropConnections();
    await waitFor(() => test.state() === 'disconnected', 'the drop');
    await clock.advance(1_000);
    await waitFor(() => test.state() === 'failed', 'the failed status');
    expect(test.statuses.at(-1)).toMatchObject({ state: 'failed', error: expect.stringContaining('token rejected') });
    expect(clock.pendingDelays()).toEqual([]);
    await clock.advance(120_000);
    expect(opens()).toBe(2);
  });

  it('a transient failure on reconnect is retried with the next delay', async () => {
    await channel.start(test.context);
    fake.failNext('apps.connections.open', { status: 503 });
    fake.dropConnections();
    await waitFor(() => test.state() === 'disconnected', 'the drop');
    await clock.advance(1_000);
    await waitFor(() => clock.pendingDelays().includes(5_000), 'the second delay');
    await clock.advance(5_000);
    await waitFor(() => test.state() === 'connected', 'the reconnection');
    expect(opens()).toBe(3);
  });
});

describe('Slack Socket Mode: a handshake that hangs', () => {
  it('a socket that opens but never says hello fails start after watchdogMs (retryable), instead of hanging', async () => {
    fake.withholdHello();
    const starting = channel.start(test.context).then(
      () => undefined,
      (error: unknown) => error,
    );
    await waitFor(() => fake.openConnections() === 1, 'the socket to open');
    await clock.advance(watchdogMs);
    const error = await starting;
    expect(ChannelApiError.isInstance(error) && error.retryable).toBe(true);
    await waitFor(() => fake.openConnections() === 0, 'the socket to be closed');
  });

  it('after a drop, a reconnection whose hello never comes is abandoned and retried with the next delay', async () => {
    await channel.start(test.context);
    fake.withholdHello();
    fake.dropConnections();
    await waitFor(() => test.state() === 'disconnected', 'the drop');
    await clock.advance(1_000);
    await waitFor(() => fake.openConnections() === 1, 'the second socket to open');
    await clock.advance(watchdogMs);
    await waitFor(() => clock.pendingDelays().includes(5_000), 'the next delay');
    fake.withholdHello(false);
    await clock.advance(5_000);
    await waitFor(() => test.state() === 'connected', 'the reconnection');
    expect(opens()).toBe(3);
  });
});

describe('Slack Socket Mode: start refusals', () => {
  it('a wrong bot token is a 401 ChannelApiError (the core marks the channel failed)', async () => {
    const wrong = createSlackChannel({ botToken: 'xoxb-wrong', appToken: fake.appToken, apiUrl: fake.apiUrl, clock });
    const error = await wrong.start(test.context).catch((caught: unknown) => caught);
    expect(ChannelApiError.isInstance(error) && error.status).toBe(401);
    expect(String((error as Error).message)).toContain('token rejected');
  });

  it('a wrong app token is a 401 too', async () => {
    const wrong = createSlackChannel({ botToken: fake.botToken, appToken: 'xapp-wrong', apiUrl: fake.apiUrl, clock });
    const error = await wrong.start(test.context).catch((caught: unknown) => caught);
    expect(ChannelApiError.isInstance(error) && error.status).toBe(401);
  });

  it('a missing scope is a 403 naming the scope; a 5xx is retryable', async () => {
    fake.failNext('auth.test', { error: 'missing_scope', needed: 'users:read' }, { status: 502 });
    const scope = await channel.start(test.context).catch((caught: unknown) => caught);
    expect(ChannelApiError.isInstance(scope) && scope.status).toBe(403);
    expect((scope as Error).message).toContain('missing permission users:read');
    const transient = await channel.start(test.context).catch((caught: unknown) => caught);
    expect(ChannelApiError.isInstance(transient) && transient.retryable).toBe(true);
  });
});

describe('Slack Socket Mode: each message once', () => {
  it('acknowledges after receive resolved; a retry_attempt redelivery of the same envelope makes no second message', async () => {
    await channel.start(test.context);
    const posted = fake.postMessage({ channel: 'C1', user: 'U1', text: 'once' });
    const [envelope] = posted.envelopes;
    if (!envelope) throw new Error('no envelope');
    await fake.waitForAck(envelope.envelopeId);
    fake.redeliver(envelope.envelopeId);
    await waitFor(() => envelope.deliveries === 2 && envelope.acked, 'the redelivery');
    await waitFor(() => fake.unackedEnvelopes().length === 0, 'the second ack');
    expect(envelope.retryAttempt).toBe(1);
    expect(test.received.map((message) => message.platformMessageId)).toEqual([posted.ts]);
  });

  it('leaves an envelope unacknowledged when receive fails, so the retry after a reconnect gets through, with the same ids', async () => {
    await channel.start(test.context);
    test.failNext();
    const posted = fake.postMessage({ channel: 'C1', user: 'U1', text: 'try again' });
    await waitFor(() => test.calls() === 1, 'the failed receive');
    expect(fake.unackedEnvelopes().map((envelope) => envelope.envelopeId)).toEqual(
      posted.envelopes.map((envelope) => envelope.envelopeId),
    );
    fake.sendDisconnect('refresh_requested');
    const message = await waitFor(() => test.received[0], 'the redelivered message');
    expect(message).toMatchObject({ chat: { id: 'C1' }, platformMessageId: posted.ts, text: 'try again' });
    expect(posted.envelopes[0]?.retryAttempt).toBe(1);
    await waitFor(() => fake.unackedEnvelopes().length === 0, 'the ack');
  });
});
