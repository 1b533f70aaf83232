import { ChannelApiError, type ChannelContext, type ChannelStatus, ConfigError, silentLogger } from '@ngb/plugin-sdk';
import { createFakeWeComServer, type FakeWeComServer } from '@ngb/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWeComChannel } from './wecom-channel';

describe('WeCom group robot mode (send-only)', () => {
  let fake: FakeWeComServer;
  const statuses: ChannelStatus[] = [];
  const context: ChannelContext = {
    receive: async () => ({ dropped: 'test' }),
    logger: silentLogger,
    setStatus: (status) => void statuses.push(status),
  };
  beforeEach(async () => {
    fake = await createFakeWeComServer();
  });
  afterEach(() => fake.close());

  const robot = (key = fake.robotKey) => createWeComChannel({ mode: 'robot', webhookKey: key, apiBaseUrl: fake.url });

  it('sends markdown and text to the webhook, to its one chat only, with no inbound side', async () => {
    const adapter = robot();
    await adapter.start(context);
    expect(statuses.at(-1)).toMatchObject({ state: 'connected' });
    expect(adapter.handleWebhook).toBeUndefined();
    expect(adapter.fetchAttachment).toBeUndefined();
    const address = { channel: 'wecom', chatId: 'robot' };
    const first = await adapter.send(address, { text: '**done**', format: 'markdown' });
    const second = await adapter.send(address, { text: 'plain *as is*', format: 'plain' });
    expect(first.platformMessageId).not.toBe(second.platformMessageId);
    expect(fake.sent.map(({ robot, msgtype, content }) => ({ robot, msgtype, content }))).toEqual([
      { robot: true, msgtype: 'markdown', content: '**done**' },
      { robot: true, msgtype: 'text', content: 'plain *as is*' },
    ]);
    const elsewhere = await adapter
      .send({ channel: 'wecom', chatId: 'ann' }, { text: 'x', format: 'plain' })
      .catch((error: unknown) => error);
    expect(ChannelApiError.isInstance(elsewhere) && elsewhere.status).toBe(404);
  });

  it('maps a wrong key to 401 and the 20-a-minute limit to a retryable 429', async () => {
    const address = { channel: 'wecom', chatId: 'robot' };
    const wrong = await robot('not-the-key')
      .send(address, { text: 'x', format: 'plain' })
      .catch((error: unknown) => error);
    expect(ChannelApiError.isInstance(wrong) && [wrong.status, wrong.retryable]).toEqual([401, false]);
    expect((wrong as Error).message).toContain('WECOM_ROBOT_KEY');
    fake.failNext('/cgi-bin/webhook/send', { errcode: 45009, errmsg: 'api freq out of limit' });
    const limited = await robot()
      .send(address, { text: 'x', format: 'plain' })
      .catch((error: unknown) => error);
    expect(ChannelApiError.isInstance(limited) && [limited.status, limited.retryable]).toEqual([429, true]);
  });
});

describe('WeCom options', () => {
  const app = { corpId: 'ww1', agentId: 1000002, secret: 's', token: 't', encodingAesKey: 'a'.repeat(43) };

  it.each([
    [{ ...app, corpId: undefined }, 'corpId'],
    [{ ...app, agentId: undefined }, 'agentId'],
    [{ ...app, secret: undefined }, 'secret'],
    [{ ...app, token: undefined }, 'token'],
    [{ ...app, encodingAesKey: undefined }, 'encodingAesKey'],
    [{ ...app, encodingAesKey: 'short' }, 'encodingAesKey'],
    [{ mode: 'robot' as const }, 'webhookKey'],
    [{ ...app, mode: 'bot' }, 'mode'],
  ])('refuses %j naming %s', (options, key) => {
    let thrown: unknown;
    try {
      createWeComChannel(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(ConfigError.isInstance(thrown) && thrown.key).toBe(key);
  });

  it('announces its limit in UTF-8 bytes, as WeCom counts, for the core to split by', () => {
    expect(createWeComChannel(app).limits).toEqual({ maxMessageLength: 2048, maxMessageBytes: 2048 });
    expect(createWeComChannel({ ...app, maxMessageLength: 4096 }).limits).toEqual({
      maxMessageLength: 4096,
      maxMessageBytes: 4096,
    });
  });
});
