import { createManualClock, type ManualClock } from '@ngb/plugin-sdk/testing';
import { createFakeSlackServer, type FakeSlackServer } from '@ngb/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext } from './__tests__/slack-test-context';
import { createSlackChannel, type SlackChannel } from './slack-channel';

let fake: FakeSlackServer;
let clock: ManualClock;
let channel: SlackChannel;
let test: ReturnType<typeof createTestContext>;

const build = () =>
  createSlackChannel({ botToken: fake.botToken, signingSecret: fake.signingSecret, mode: 'events', apiUrl: fake.apiUrl, clock });

beforeEach(async () => {
  fake = await createFakeSlackServer({ users: [{ id: 'U1', name: 'ann', displayName: 'Ann' }] });
  clock = createManualClock(Date.UTC(2026, 5, 1, 12));
  test = createTestContext();
  channel = build();
  await channel.start(test.context);
});

afterEach(async () => {
  await channel.stop();
  await fake.close();
});

const nowSeconds = () => Math.floor(clock.now() / 1000);
const handle = (request: Request) => {
  if (!channel.handleWebhook) throw new Error('no webhook in events mode');
  return channel.handleWebhook(request);
};
const messageBody = (text = 'hello') =>
  fake.eventCallback(fake.postMessage({ channel: 'C1', user: 'U1', text }).events[0] ?? { type: 'none' });

describe('Slack Events API webhook', () => {
  it('has no socket and no webhook in the other mode: Socket Mode adapters have no handleWebhook', () => {
    const socketMode = createSlackChannel({ botToken: fake.botToken, appToken: fake.appToken, apiUrl: fake.apiUrl });
    expect(socketMode.handleWebhook).toBeUndefined();
    expect(typeof channel.handleWebhook).toBe('function');
  });

  it('answers url_verification with the challenge, without calling receive', async () => {
    const body = { token: 'x', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' };
    const response = await handle(fake.signedRequest(body, { timestampSeconds: nowSeconds() }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: body.challenge });
    expect(test.calls()).toBe(0);
  });

  it('accepts a request signed within the five-minute window, on the injected clock', async () => {
    const response = await handle(fake.signedRequest(messageBody(), { timestampSeconds: nowSeconds() - 299 }));
    expect(response.status).toBe(200);
    expect(test.received.map((message) => message.text)).toEqual(['hello']);
  });

  it.each([
    ['a stale timestamp (replay)', { timestampSeconds: -301 }],
    ['a timestamp from the future', { timestampSeconds: 301 }],
    ['a wrong signature', { signingSecret: 'not-the-secret' }],
    ['no signature', { unsigned: true }],
  ])('refuses %s with 401 and never calls receive', async (_what, shift) => {
    const { timestampSeconds = 0, ...rest } = shift as { timestampSeconds?: number; signingSecret?: string; unsigned?: boolean };
    const response = await handle(
      fake.signedRequest(messageBody(), { timestampSeconds: nowSeconds() + timestampSeconds, ...rest }),
    );
    expect(response.status).toBe(401);
    expect(test.calls()).toBe(0);
  });

  it('refuses a body changed after signing', async () => {
    const signed = fake.signedRequest(messageBody('original'), { timestampSeconds: nowSeconds() });
    const tampered = new Request(signed.url, {
      method: 'POST',
      headers: signed.headers,
      body: (await signed.text()).replace('original', 'tampered'),
    });
    expect((await handle(tampered)).status).toBe(401);
    expect(test.calls()).toBe(0);
  });

  it('a Slack retry (X-Slack-Retry-Num) of a stored event makes no second message; the ids are the same either way', async () => {
    const body = messageBody('only once');
    expect((await handle(fake.signedRequest(body, { timestampSeconds: nowSeconds() }))).status).toBe(200);
    expect((await handle(fake.signedRequest(body, { timestampSeconds: nowSeconds(), retryNum: 1 }))).status).toBe(200);
    expect(test.received).toHaveLength(1);
    // A gateway restarted between the two forgets what it saw; the store then dedupes on the same ids.
    const restarted = build();
    const other = createTestContext();
    await restarted.start(other.context);
    await restarted.handleWebhook?.(fake.signedRequest(body, { timestampSeconds: nowSeconds(), retryNum: 2 }));
    await restarted.stop();
    const [first] = test.received;
    expect(other.received.map((message) => [message.chat.id, message.platformMessageId])).toEqual([
      [first?.chat.id, first?.platformMessageId],
    ]);
  });

  it('answers 500 when receive fails, and takes Slack’s retry of it', async () => {
    const body = messageBody('stored later');
    test.failNext();
    expect((await handle(fake.signedRequest(body, { timestampSeconds: nowSeconds() }))).status).toBe(500);
    expect((await handle(fake.signedRequest(body, { timestampSeconds: nowSeconds(), retryNum: 1 }))).status).toBe(200);
    expect(test.received.map((message) => message.text)).toEqual(['stored later']);
  });

  it('answers 503 after stop, 400 for a signed body that is not JSON, 413 for a huge one', async () => {
    const raw = 'not json';
    const { slackSignature } = await import('@ngb/testing');
    const timestamp = nowSeconds();
    const notJson = new Request('http://127.0.0.1/channels/slack/webhook', {
      method: 'POST',
      headers: {
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature(fake.signingSecret, timestamp, raw),
      },
      body: raw,
    });
    expect((await handle(notJson)).status).toBe(400);
    const huge = fake.signedRequest(
      { type: 'event_callback', padding: 'x'.repeat(2 * 1024 * 1024) },
      { timestampSeconds: timestamp },
    );
    expect((await handle(huge)).status).toBe(413);
    await channel.stop();
    expect((await handle(fake.signedRequest(messageBody(), { timestampSeconds: timestamp }))).status).toBe(503);
    expect(test.calls()).toBe(0);
  });
});
