import { ChannelApiError, type ChannelContext, type InboundMessage, type Logger, silentLogger } from '@ngb/plugin-sdk';
import { createFakeFeishuServer, type FakeFeishuServer } from '@ngb/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFeishuChannel, type FeishuChannel } from './feishu-channel';
import { type FeishuTestRun, startFeishuTestRun } from './testing/feishu-test-run';

const websocket = { mode: 'websocket' as const, watchdogMs: 10_000 };
const text = (chatId: string, value: string) => ({ chatId, chatType: 'p2p' as const, senderOpenId: 'ou_alice', text: value });
const states = (run: FeishuTestRun) => run.statuses.map((status) => status.state);

describe('feishu long connection (mode websocket) against the fake', () => {
  let run: FeishuTestRun | undefined;
  let fake: FakeFeishuServer | undefined;
  let channel: FeishuChannel | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await run?.close();
    await channel?.stop();
    await fake?.close();
    run = undefined;
    channel = undefined;
    fake = undefined;
  });

  it('acks an event with 200 only after receive resolved', async () => {
    fake = await createFakeFeishuServer();
    let release: (() => void) | undefined;
    const received: InboundMessage[] = [];
    const context: ChannelContext = {
      async receive(message) {
        received.push(message);
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return { messageId: 'stored-1', routed: [] };
      },
      logger: silentLogger,
      setStatus() {},
    };
    channel = createFeishuChannel({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, ...websocket });
    await channel.start(context);
    const acked = fake.push(fake.postMessage(text('oc_dm', 'hello')));
    await vi.waitFor(() => expect(received).toHaveLength(1));
    expect(fake.acks()).toEqual([]);
    release?.();
    expect(await acked).toBe(200);
    expect(received[0]?.text).toBe('hello');
  });

  it('acks 500 when receive threw, and the event Feishu sends again on the next connection is stored once with the same ids', async () => {
    run = await startFeishuTestRun({}, websocket);
    run.failReceive(1);
    const envelope = run.fake.postMessage(text('oc_dm', 'keep me'));
    expect(await run.fake.push(envelope)).toBe(500);
    expect(run.received).toHaveLength(0);
    run.fake.dropConnections();
    await vi.waitFor(() => expect(states(run as FeishuTestRun)).toContain('disconnected'));
    await run.clock.advance(1_000);
    await vi.waitFor(() => expect(run?.received).toHaveLength(1));
    await vi.waitFor(() => expect(run?.fake.acks().map((ack) => ack.code)).toEqual([500, 200]));
    expect(run.receiveCalls()).toBe(2);
    // Feishu may deliver an acked event again: the ids are the same, so the store keeps one message.
    expect(await run.fake.push(envelope)).toBe(200);
    expect(run.received[1]?.platformMessageId).toBe(run.received[0]?.platformMessageId);
    expect(run.received[1]?.chat.id).toBe(run.received[0]?.chat.id);
  });

  it('reconnects after a drop with growing waits on the injected clock', async () => {
    run = await startFeishuTestRun({}, websocket);
    const lookups = () => run?.fake.calls('ws.endpoint').length;
    expect(lookups()).toBe(1);
    run.fake.failNext('ws.endpoint', { code: 1, msg: 'system busy' });
    run.fake.dropConnections();
    await vi.waitFor(() => expect(states(run as FeishuTestRun)).toContain('disconnected'));
    await run.clock.advance(999);
    expect(lookups()).toBe(1);
    await run.clock.advance(1);
    await vi.waitFor(() => expect(lookups()).toBe(2));
    await vi.waitFor(() => expect(run?.clock.pendingDelays()).toContain(2_000));
    await run.clock.advance(1_999);
    expect(lookups()).toBe(2);
    await run.clock.advance(1);
    await vi.waitFor(() => expect(run?.fake.connections()).toEqual({ opened: 2, open: 1 }));
    await vi.waitFor(() => expect(states(run as FeishuTestRun).at(-1)).toBe('connected'));
    expect(await run.fake.push(run.fake.postMessage(text('oc_dm', 'after the drop')))).toBe(200);
    expect(run.received.map((message) => message.text)).toEqual(['after the drop']);
  });

  it('counts pongs as life: a quiet chat whose pings are answered stays connected', async () => {
    run = await startFeishuTestRun({}, websocket);
    await run.clock.advance(6_000);
    // The SDK pings every second (the fake's PingInterval); a later ping means the earlier pong arrived.
    const pings = run.fake.pings();
    await vi.waitFor(() => expect(run?.fake.pings()).toBeGreaterThanOrEqual(pings + 2), { timeout: 5_000 });
    await run.clock.advance(6_000);
    expect(states(run)).not.toContain('degraded');
  });

  it('reports a deaf connection (open, no pong) degraded, replaces it, and is connected again', async () => {
    run = await startFeishuTestRun({}, websocket);
    run.fake.goSilent();
    await run.clock.advance(10_000);
    expect(states(run)).toContain('degraded');
    expect(run.fake.connections().opened).toBe(1);
    await run.clock.advance(10_000);
    await vi.waitFor(() => expect(run?.fake.connections()).toEqual({ opened: 2, open: 1 }));
    await vi.waitFor(() => expect(states(run as FeishuTestRun).at(-1)).toBe('connected'));
    expect(states(run).slice(states(run).indexOf('degraded'))).toEqual(['degraded', 'connecting', 'connected']);
    expect(await run.fake.push(run.fake.postMessage(text('oc_dm', 'heard again')))).toBe(200);
  });

  it('refuses to start with ChannelApiError 401 when Feishu refuses the credentials at the endpoint lookup', async () => {
    fake = await createFakeFeishuServer();
    fake.failNext('ws.endpoint', { code: 514, msg: 'auth failed' });
    channel = createFeishuChannel({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, ...websocket });
    const refused = await channel
      .start({ receive: async () => ({ messageId: 'x', routed: [] }), logger: silentLogger, setStatus() {} })
      .catch((caught: unknown) => caught);
    expect(ChannelApiError.isInstance(refused)).toBe(true);
    expect((refused as ChannelApiError).status).toBe(401);
    expect((refused as ChannelApiError).retryable).toBe(false);
    expect(fake.connections().opened).toBe(0);
  });

  it('is failed, and tries no more, when the credentials are refused at a reconnect', async () => {
    run = await startFeishuTestRun({}, websocket);
    run.fake.failNext('ws.endpoint', { code: 514, msg: 'auth failed' });
    run.fake.dropConnections();
    await vi.waitFor(() => expect(states(run as FeishuTestRun)).toContain('disconnected'));
    await run.clock.advance(1_000);
    await vi.waitFor(() => expect(states(run as FeishuTestRun).at(-1)).toBe('failed'));
    await run.clock.advance(600_000);
    expect(run.fake.calls('ws.endpoint')).toHaveLength(2);
    expect(run.clock.pendingDelays()).toEqual([]);
  });

  it('prints nothing: the SDK logs through the channel logger', async () => {
    const printed = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation(() => undefined),
    );
    const lines: string[] = [];
    const logger: Logger = {
      ...silentLogger,
      warn: (message) => void lines.push(message),
      error: (message) => void lines.push(message),
      debug: (message) => void lines.push(message),
      info: (message) => void lines.push(message),
      child: () => logger,
    };
    run = await startFeishuTestRun({}, { ...websocket, logger });
    run.failReceive(1);
    expect(await run.fake.push(run.fake.postMessage(text('oc_dm', 'fails once')))).toBe(500);
    expect(await run.fake.push(run.fake.envelopeOf('im.chat.updated_v1', {}))).toBe(200);
    run.fake.dropConnections();
    await vi.waitFor(() => expect(states(run as FeishuTestRun)).toContain('disconnected'));
    await run.clock.advance(1_000);
    await vi.waitFor(() => expect(run?.received).toHaveLength(1));
    await run.close();
    run = undefined;
    for (const spy of printed) expect(spy).not.toHaveBeenCalled();
    expect(lines.some((line) => line.includes('Lark SDK') && line.includes('invoke event failed'))).toBe(true);
  });

  it('stop() closes the socket and leaves no timer', async () => {
    run = await startFeishuTestRun({}, websocket);
    expect(run.fake.connections().open).toBe(1);
    await run.channel.stop();
    expect(run.clock.pendingDelays()).toEqual([]);
    await vi.waitFor(() => expect(run?.fake.connections().open).toBe(0));
    await run.clock.advance(600_000);
    expect(run.fake.connections().opened).toBe(1);
  });
});
