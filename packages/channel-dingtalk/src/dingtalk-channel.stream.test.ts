import { ChannelApiError } from '@ngb/plugin-sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type DingTalkTestRun, eventually, startDingTalkTestRun } from './testing/dingtalk-test-run';

const ann = { senderStaffId: 'staff77', senderNick: 'Ann', text: 'hello' };

describe('DingTalk Stream mode connection', () => {
  let run: DingTalkTestRun;
  afterEach(async () => run.close());

  it('looks the endpoint up with the credentials and subscribes to robot messages only', async () => {
    run = await startDingTalkTestRun();
    expect(run.fake.stream.lookups).toBe(1);
    expect(run.fake.stream.subscriptions).toEqual([{ type: 'CALLBACK', topic: '/v1.0/im/bot/messages/get' }]);
    expect(run.statuses.map((status) => status.state)).toEqual(['connecting', 'connected']);
    expect(run.channel.self).toEqual({ id: run.fake.robotCode, name: run.fake.robotCode });
  });

  it('a refused clientSecret at the endpoint lookup makes start throw 401, saying what to fix', async () => {
    run = await startDingTalkTestRun({}, { clientSecret: 'wrong' }, false);
    const error = await run.channel.start(run.context).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(ChannelApiError.isInstance(error) && [error.status, error.retryable]).toEqual([401, false]);
    expect(String(error)).toContain('DINGTALK_CLIENT_SECRET');
    expect(run.fake.openConnections()).toBe(0);
  });

  it('acks a robot message only after receive resolved', async () => {
    run = await startDingTalkTestRun();
    run.fake.injectMessage(ann);
    await eventually(() => run.fake.stream.acks.length === 1, 'the ack');
    expect(run.received.map((message) => message.text)).toEqual(['hello']);
    expect(run.fake.pendingCallbacks()).toBe(0);
  });

  it('a message receive could not store is not acked; DingTalk redelivers it after a reconnect and one message is stored', async () => {
    run = await startDingTalkTestRun();
    run.failNextReceive();
    const message = run.fake.injectMessage(ann);
    await eventually(() => run.fake.pendingCallbacks() === 1 && run.fake.stream.connections === 1, 'the delivery');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(run.fake.stream.acks).toEqual([]);
    run.fake.dropConnections();
    await eventually(() => run.fake.stream.acks.length === 1, 'the ack of the redelivery');
    expect(run.fake.stream.redeliveries).toBe(1);
    expect(run.received.map((inbound) => inbound.platformMessageId)).toEqual([message.msgId]);
    expect(run.statuses.map((status) => status.state)).toEqual([
      'connecting',
      'connected',
      'disconnected',
      'connecting',
      'connected',
    ]);
  });

  it('a message delivered twice is reported with the same chat and message ids, for the store to keep once', async () => {
    run = await startDingTalkTestRun();
    const message = run.fake.injectMessage(ann);
    await eventually(() => run.received[0], 'the message');
    run.fake.deliver(message);
    await eventually(() => run.received[1], 'the redelivery');
    const [first, second] = run.received;
    expect([second?.chat.id, second?.platformMessageId]).toEqual([first?.chat.id, first?.platformMessageId]);
  });

  it('never writes to the console: connecting, a message, a dropped socket and a failed reconnect are reported, not printed', async () => {
    const printed = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => vi.spyOn(console, method));
    try {
      run = await startDingTalkTestRun();
      run.fake.injectMessage(ann);
      await eventually(() => run.received[0], 'the message');
      run.fake.failNext({ status: 503, path: '/gateway/' });
      run.fake.dropConnections();
      await eventually(
        () => run.statuses.at(-1)?.state === 'disconnected' && run.fake.stream.lookups === 2,
        'the failed reconnect',
      );
      await run.clock.advance(2_000);
      await eventually(() => run.statuses.at(-1)?.state === 'connected', 'connected again');
      await run.channel.stop();
      expect(printed.flatMap((spy) => spy.mock.calls)).toEqual([]);
    } finally {
      for (const spy of printed) spy.mockRestore();
    }
  });

  it('answers pings with the same data, and a disconnect frame makes it connect again', async () => {
    run = await startDingTalkTestRun();
    run.fake.ping();
    await eventually(() => run.fake.stream.pongs === 1, 'the ping answer');
    run.fake.sendDisconnect();
    await eventually(() => run.fake.stream.connections === 2 && run.fake.stream.lookups === 2, 'a new connection');
    await eventually(() => run.fake.openConnections() === 1, 'the old connection closed');
    run.fake.injectMessage(ann);
    await eventually(() => run.received[0], 'a message on the new connection');
  });

  it('deaf watchdog: pings stop with the socket open → degraded, then a new connection → connected', async () => {
    run = await startDingTalkTestRun({}, { watchdogMs: 10_000 });
    await run.clock.advance(5_000);
    run.fake.ping();
    await eventually(() => run.fake.stream.pongs === 1, 'a ping');
    await run.clock.advance(5_000);
    expect(run.statuses.map((status) => status.state)).toEqual(['connecting', 'connected']);
    run.fake.goSilent();
    await run.clock.advance(10_000);
    expect(run.statuses.at(-1)).toEqual({ state: 'degraded', detail: 'no frame or ping from DingTalk for 10 s' });
    expect(run.fake.openConnections()).toBe(1);
    run.fake.speak();
    await run.clock.advance(10_000);
    await eventually(() => run.statuses.at(-1)?.state === 'connected', 'connected again');
    expect(run.fake.stream.connections).toBe(2);
    run.fake.injectMessage(ann);
    await eventually(() => run.received[0], 'a message on the new connection');
  });

  it('connections that drop right after opening wait longer each time (at once, 2 s, 4 s); one that lasted starts over', async () => {
    run = await startDingTalkTestRun();
    const drops = () => run.statuses.filter((status) => status.state === 'disconnected').length;
    const connectedAgain = (connections: number) =>
      eventually(() => run.fake.stream.connections === connections && run.statuses.at(-1)?.state === 'connected', 'again');
    run.fake.dropConnections();
    await connectedAgain(2);
    for (const [drop, wait] of [
      [2, 2_000],
      [3, 4_000],
    ] as const) {
      run.fake.dropConnections();
      await eventually(() => drops() === drop, 'the drop');
      expect(run.clock.pendingDelays()).toContain(wait);
      await run.clock.advance(wait - 1);
      expect(run.fake.stream.connections).toBe(drop);
      await run.clock.advance(1);
      await connectedAgain(drop + 1);
    }
    await run.clock.advance(30_000);
    run.fake.dropConnections();
    await connectedAgain(5);
  });

  it('a failed reconnect is retried with backoff on the clock; stop leaves no timer and no socket', async () => {
    run = await startDingTalkTestRun();
    run.fake.failNext({ status: 503, path: '/gateway/' });
    run.fake.dropConnections();
    await eventually(() => run.statuses.at(-1)?.state === 'disconnected' && run.fake.stream.lookups === 2, 'the failed lookup');
    expect(run.clock.pendingDelays()).toContain(2_000);
    await run.clock.advance(2_000);
    await eventually(() => run.statuses.at(-1)?.state === 'connected', 'connected again');
    await run.channel.stop();
    expect(run.clock.pendingDelays()).toEqual([]);
    await eventually(() => run.fake.openConnections() === 0, 'the socket closed');
  });
});
