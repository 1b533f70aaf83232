import { ChannelApiError, type ChannelContext, type ChannelStatus, silentLogger } from '@ngb/plugin-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { createWeComChannelHarness } from './testing/wecom-channel-harness';

function context(statuses: ChannelStatus[] = []): ChannelContext {
  return { receive: async () => ({ dropped: 'test' }), logger: silentLogger, setStatus: (status) => void statuses.push(status) };
}

const address = { channel: 'wecom', chatId: 'ann' };

describe('WeCom access token', () => {
  const harness = createWeComChannelHarness();
  afterEach(async () => {
    await harness.channel.stop();
    await harness.dispose?.();
  });

  it('is fetched at start (status connected), reused, and replaced shortly before it expires on the injected clock', async () => {
    await harness.create();
    const adapter = harness.channel;
    const statuses: ChannelStatus[] = [];
    await adapter.start(context(statuses));
    expect(statuses.at(-1)?.state).toBe('connected');
    await adapter.send(address, { text: 'one', format: 'plain' });
    await adapter.send(address, { text: 'two', format: 'plain' });
    expect(harness.fake.tokenFetches()).toBe(1);
    await harness.clock.advance(7200_000 - 6 * 60_000);
    await adapter.send(address, { text: 'three', format: 'plain' });
    expect(harness.fake.tokenFetches()).toBe(1);
    await harness.clock.advance(2 * 60_000);
    await adapter.send(address, { text: 'four', format: 'plain' });
    expect(harness.fake.tokenFetches()).toBe(2);
    expect(harness.fake.sent.map((message) => message.content)).toEqual(['one', 'two', 'three', 'four']);
  });

  it('is refreshed once when WeCom says it expired (42001), and concurrent sends share that refresh', async () => {
    await harness.create();
    const adapter = harness.channel;
    await adapter.start(context());
    harness.fake.expireTokens();
    await Promise.all(['a', 'b', 'c', 'd'].map((text) => adapter.send(address, { text, format: 'plain' })));
    expect(harness.fake.tokenFetches()).toBe(2);
    expect(harness.fake.sent.map((message) => message.content).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('is refreshed on 40014 (invalid token) and the call retried once; a second refusal reaches the caller', async () => {
    await harness.create();
    const adapter = harness.channel;
    await adapter.start(context());
    harness.fake.failNext('/cgi-bin/message/send', { errcode: 40014, errmsg: 'invalid access_token' });
    await adapter.send(address, { text: 'after a refresh', format: 'plain' });
    expect(harness.fake.tokenFetches()).toBe(2);
    expect(harness.fake.sent.map((message) => message.content)).toEqual(['after a refresh']);
    harness.fake.failNext('/cgi-bin/message/send', { errcode: 40014 });
    harness.fake.failNext('/cgi-bin/message/send', { errcode: 40014 });
    const refused = await adapter.send(address, { text: 'lost', format: 'plain' }).catch((error: unknown) => error);
    expect(ChannelApiError.isInstance(refused) && [refused.status, refused.retryable]).toEqual([401, false]);
    expect(harness.fake.tokenFetches()).toBe(3);
  });

  it('a refused secret fails start with 401 and status failed; an unreachable WeCom is disconnected (the core retries)', async () => {
    const statuses: ChannelStatus[] = [];
    await harness.create();
    const adapter = harness.channel;
    harness.fake.failNext('/cgi-bin/gettoken', { errcode: 40001, errmsg: 'invalid credential' });
    const refused = await adapter.start(context(statuses)).catch((error: unknown) => error);
    expect(ChannelApiError.isInstance(refused) && refused.status).toBe(401);
    expect(statuses.at(-1)).toMatchObject({ state: 'failed', error: expect.stringContaining('WECOM_SECRET') });
    harness.fake.failNext('/cgi-bin/gettoken', { status: 502 });
    const down = await adapter.start(context(statuses)).catch((error: unknown) => error);
    expect(ChannelApiError.isInstance(down) && [down.status, down.retryable]).toEqual([502, true]);
    expect(statuses.at(-1)?.state).toBe('disconnected');
  });

  it('leaves no timer on the clock after stop', async () => {
    await harness.create();
    const adapter = harness.channel;
    await adapter.start(context());
    await adapter.send(address, { text: 'x', format: 'plain' });
    await adapter.stop();
    expect(harness.clock.pendingDelays()).toEqual([]);
  });
});
