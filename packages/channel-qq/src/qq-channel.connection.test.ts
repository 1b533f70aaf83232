import { ChannelApiError } from '@ngb/plugin-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { createQQChannel } from './qq-channel';
import { eventually, type QQTestRun, startQQTestRun } from './testing/qq-test-run';

const dm = { channel: 'qq', chatId: 'private:77' };
const states = (run: QQTestRun) => run.statuses.map((status) => status.state);
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('QQ OneBot connection', () => {
  let run: QQTestRun;
  afterEach(async () => run.close());

  it('knows its account from get_login_info after start', async () => {
    run = await startQQTestRun({ selfId: 4242, nickname: 'helper' });
    expect(run.channel.self).toEqual({ id: '4242', name: 'helper' });
    expect(states(run)).toEqual(['connecting', 'connected']);
  });

  it('a message arriving before get_login_info is answered waits for it rather than being lost', async () => {
    run = await startQQTestRun({}, {}, false);
    const release = run.fake.holdAnswers();
    const starting = run.channel.start(run.context);
    await eventually(() => run.fake.actions.some((action) => action.action === 'get_login_info'), 'the login asked');
    run.fake.injectMessage({ chatId: 'private:77', userId: 77, message: 'early bird' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await starting;
    const message = await eventually(() => run.received[0], 'the early message');
    expect(message.text).toBe('early bird');
  });

  it('a missing or wrong access token is refused at the upgrade: ChannelApiError 401, not retryable', async () => {
    run = await startQQTestRun({}, { accessToken: undefined }, false);
    const missing = await failureOf(run.channel.start(run.context));
    const wronglyKeyed = createQQChannel({ url: run.fake.url, accessToken: 'not-the-token', clock: run.clock });
    const wrong = await failureOf(wronglyKeyed.start(run.context));
    for (const error of [missing, wrong]) {
      expect(ChannelApiError.isInstance(error) && { status: error.status, retryable: error.retryable }).toEqual({
        status: 401,
        retryable: false,
      });
      expect(String(error)).toContain('QQ_ONEBOT_ACCESS_TOKEN');
    }
    expect(run.fake.refusals).toEqual([401, 403]);
    expect(run.fake.connections).toBe(0);
  });

  it('after a dropped connection it reconnects after its backoff and hears again', async () => {
    run = await startQQTestRun();
    run.fake.dropConnections();
    await eventually(() => states(run).includes('disconnected'), 'disconnected');
    expect(run.clock.pendingDelays()).toContain(1_000);
    await run.clock.advance(1_000);
    await eventually(() => run.statuses.at(-1)?.state === 'connected', 'connected again');
    run.fake.injectMessage({ chatId: 'private:77', userId: 77, message: 'after' });
    await eventually(() => run.received[0], 'the message on the new connection');
    expect(run.fake.connections).toBe(2);
    expect(states(run)).toEqual(['connecting', 'connected', 'disconnected', 'connecting', 'connected']);
  });

  it('a failed reconnect waits longer before the next (1 s, then 2 s)', async () => {
    run = await startQQTestRun();
    run.fake.failNext({ action: 'get_login_info', retcode: 1200, wording: 'QQ is not ready' });
    run.fake.dropConnections();
    await eventually(() => states(run).includes('disconnected'), 'disconnected');
    await run.clock.advance(1_000);
    await eventually(() => run.statuses.filter((status) => status.state === 'disconnected').length === 2, 'the failed attempt');
    expect(run.statuses.at(-1)).toMatchObject({ state: 'disconnected', error: expect.stringContaining('QQ is not ready') });
    expect(run.clock.pendingDelays()).toContain(2_000);
    await run.clock.advance(2_000);
    await eventually(() => run.statuses.at(-1)?.state === 'connected', 'connected');
  });

  it('connections that drop right after opening wait longer each time (1 s, 2 s, 4 s); one that lasted starts over', async () => {
    run = await startQQTestRun();
    const waits: number[] = [];
    for (let drop = 1; drop <= 3; drop++) {
      run.fake.dropConnections();
      await eventually(() => states(run).filter((state) => state === 'disconnected').length === drop, 'the drop');
      const [wait = 0] = run.clock.pendingDelays();
      waits.push(wait);
      await run.clock.advance(wait);
      await eventually(() => run.statuses.at(-1)?.state === 'connected', 'connected again');
    }
    expect(waits).toEqual([1_000, 2_000, 4_000]);
    await run.clock.advance(30_000);
    run.fake.dropConnections();
    await eventually(() => states(run).filter((state) => state === 'disconnected').length === 4, 'the drop');
    expect(run.clock.pendingDelays()).toContain(1_000);
  });

  it('a token refused while running fails the channel for good: no retry pending', async () => {
    run = await startQQTestRun();
    run.fake.rotateAccessToken('rotated');
    run.fake.dropConnections();
    await eventually(() => states(run).includes('disconnected'), 'disconnected');
    await run.clock.advance(1_000);
    await eventually(() => run.statuses.at(-1)?.state === 'failed', 'failed');
    expect(run.statuses.at(-1)).toMatchObject({ error: expect.stringContaining('QQ_ONEBOT_ACCESS_TOKEN') });
    expect(run.clock.pendingDelays()).toEqual([]);
  });

  it('deaf watchdog: the implementation goes silent with the socket open → degraded, then a new connection → connected', async () => {
    run = await startQQTestRun({}, { watchdogMs: 10_000 });
    run.fake.goSilent();
    await run.clock.advance(10_000);
    expect(run.statuses.at(-1)).toEqual({ state: 'degraded', detail: 'no OneBot event or heartbeat for 10 s' });
    expect(run.fake.openConnections()).toBe(1);
    run.fake.speak();
    await run.clock.advance(10_000);
    await eventually(() => run.statuses.at(-1)?.state === 'connected' && run.fake.connections === 2, 'a new connection');
    run.fake.injectMessage({ chatId: 'private:77', userId: 77, message: 'heard' });
    await eventually(() => run.received[0], 'a message on the new connection');
    expect(run.fake.openConnections()).toBe(1);
  });

  it('heartbeats keep a quiet connection alive', async () => {
    run = await startQQTestRun({}, { watchdogMs: 10_000 });
    for (let beat = 0; beat < 12; beat += 1) {
      const before = run.fake.heartbeats;
      run.fake.heartbeat();
      await eventually(() => run.fake.heartbeats > before, 'the heartbeat sent');
      await new Promise((resolve) => setTimeout(resolve, 20));
      await run.clock.advance(5_000);
    }
    expect(states(run)).toEqual(['connecting', 'connected']);
  });

  it('without watchdogMs, the timeout is three times the heartbeat interval the implementation announces', async () => {
    run = await startQQTestRun();
    await run.clock.advance(15_000);
    expect(states(run)).toEqual(['connecting', 'connected']);
    run.fake.injectEvent({ post_type: 'meta_event', meta_event_type: 'heartbeat', self_id: 10000, interval: 5_000, time: 2 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await run.clock.advance(15_000);
    expect(run.statuses.at(-1)).toEqual({ state: 'degraded', detail: 'no OneBot event or heartbeat for 15 s' });
  });

  it('answers arriving out of order reach the action that asked, by echo', async () => {
    run = await startQQTestRun();
    run.fake.reorderNext(3);
    const receipts = await Promise.all(['one', 'two', 'three'].map((text) => run.channel.send(dm, { text, format: 'plain' })));
    const byId = new Map(run.fake.sent.map((message) => [String(message.messageId), message.text]));
    expect(receipts.map((receipt) => byId.get(receipt.platformMessageId))).toEqual(['one', 'two', 'three']);
    // The fake answered the third first.
    expect(run.fake.sent.map((message) => message.text)).toEqual(['one', 'two', 'three']);
  });

  it('an action never answered fails after actionTimeoutMs (retryable)', async () => {
    run = await startQQTestRun({}, { actionTimeoutMs: 5_000 });
    run.fake.swallowNext('send_private_msg');
    const sending = failureOf(run.channel.send(dm, { text: 'into the void', format: 'plain' }));
    await eventually(() => run.fake.actions.some((action) => action.action === 'send_private_msg'), 'the action');
    await run.clock.advance(5_000);
    const error = await sending;
    expect(ChannelApiError.isInstance(error) && error.retryable).toBe(true);
    expect(String(error)).toContain('send_private_msg got no answer within 5000 ms');
  });

  it('actions waiting when the connection drops are rejected at once', async () => {
    run = await startQQTestRun();
    run.fake.swallowNext('send_private_msg');
    const sending = failureOf(run.channel.send(dm, { text: 'lost', format: 'plain' }));
    await eventually(() => run.fake.actions.some((action) => action.action === 'send_private_msg'), 'the action');
    run.fake.dropConnections();
    const error = await sending;
    expect(ChannelApiError.isInstance(error) && error.retryable).toBe(true);
    expect(String(error)).toContain('was not answered');
  });

  it('the same event delivered twice (a redelivery after a reconnect) is reported with the same ids, for the store to keep once', async () => {
    run = await startQQTestRun();
    const event = run.fake.injectMessage({ chatId: 'group:2002', userId: 77, message: 'once' });
    await eventually(() => run.received[0], 'the message');
    run.fake.dropConnections();
    await eventually(() => states(run).includes('disconnected'), 'disconnected');
    await run.clock.advance(1_000);
    await eventually(() => run.statuses.at(-1)?.state === 'connected', 'connected again');
    run.fake.injectEvent(event);
    await eventually(() => run.received[1], 'the redelivery');
    const [first, second] = run.received;
    expect([second?.chat.id, second?.platformMessageId]).toEqual([first?.chat.id, first?.platformMessageId]);
    expect(first?.platformMessageId).toBe(String(event.message_id));
  });

  it('stop closes the socket and leaves no timer pending', async () => {
    run = await startQQTestRun({}, { watchdogMs: 10_000 });
    run.fake.dropConnections();
    await eventually(() => states(run).includes('disconnected'), 'disconnected');
    expect(run.clock.pendingDelays().length).toBeGreaterThan(0);
    await run.channel.stop();
    expect(run.clock.pendingDelays()).toEqual([]);
    await run.clock.advance(60_000);
    expect(run.fake.connections).toBe(1);
    await eventually(() => run.fake.openConnections() === 0, 'no socket open');
  });
});
