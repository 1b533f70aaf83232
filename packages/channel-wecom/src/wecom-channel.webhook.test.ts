import type { ChannelContext, InboundMessage } from '@ngb/plugin-sdk';
import { silentLogger } from '@ngb/plugin-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { createWeComChannelHarness, webhookUrl } from './testing/wecom-channel-harness';

function recordingContext() {
  const received: InboundMessage[] = [];
  const context: ChannelContext = {
    receive: async (message) => {
      received.push(message);
      return { dropped: 'recorded' };
    },
    logger: silentLogger,
    setStatus: () => undefined,
  };
  return { received, context };
}

describe('WeCom callbacks', () => {
  const harness = createWeComChannelHarness();
  afterEach(async () => {
    await harness.channel.stop();
    await harness.dispose?.();
  });

  const started = async () => {
    await harness.create();
    const adapter = harness.channel;
    const run = recordingContext();
    await adapter.start(run.context);
    const handle = (request: Request) => {
      if (!adapter.handleWebhook) throw new Error('no webhook');
      return adapter.handleWebhook(request);
    };
    return { ...run, handle, fake: harness.fake };
  };

  it('answers the URL check with the decrypted echostr, and 403 when it is signed with another token', async () => {
    const { handle, fake } = await started();
    const check = fake.urlCheckRequest(webhookUrl);
    const answer = await handle(check.request);
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe(check.echo);
    expect((await handle(fake.urlCheckRequest(webhookUrl, { signWith: 'guess' }).request)).status).toBe(403);
    expect((await handle(fake.urlCheckRequest(webhookUrl, { receiveId: 'wwother' }).request)).status).toBe(403);
  });

  it('refuses, with 403 and nothing stored, a wrong signature, a wrong receiveid, a tampered ciphertext, bad padding and a stale timestamp', async () => {
    const { handle, fake, received } = await started();
    const message = { fromUser: 'ann', content: 'forged' };
    const now = Math.floor(harness.clock.now() / 1000);
    for (const faults of [
      { signWith: 'guess' },
      { receiveId: 'wwsomeoneelse' },
      { tamperCiphertext: true },
      { badPadding: true },
      { timestamp: now - 16 * 60 },
      { timestamp: now + 16 * 60 },
    ]) {
      const answer = await handle(fake.callbackRequest(webhookUrl, message, faults));
      expect({ faults, status: answer.status }).toEqual({ faults, status: 403 });
    }
    expect(received).toEqual([]);
    const fresh = await handle(fake.callbackRequest(webhookUrl, message, { timestamp: now - 14 * 60 }));
    expect(fresh.status).toBe(200);
    expect(received.map((inbound) => inbound.text)).toEqual(['forged']);
  });

  it('refuses a body past the cap before reading it, and XML with a DOCTYPE', async () => {
    const { handle, fake, received } = await started();
    const big = new Request(webhookUrl, { method: 'POST', body: `<xml>${'x'.repeat(70 * 1024)}</xml>` });
    expect((await handle(big)).status).toBe(413);
    const doctype = fake.callbackRequest(
      webhookUrl,
      '<!DOCTYPE xml [<!ENTITY a "aaaa">]><xml><FromUserName>ann</FromUserName><MsgType>text</MsgType><Content>&a;</Content><MsgId>1</MsgId></xml>',
    );
    expect((await handle(doctype)).status).toBe(400);
    expect(received).toEqual([]);
  });

  it('reports a redelivery with the same platform id (one stored message), answers events 200 without receive', async () => {
    const { handle, fake, received } = await started();
    const message = { fromUser: 'ann', msgId: '7381234567890', content: 'once' };
    expect((await handle(fake.callbackRequest(webhookUrl, message))).status).toBe(200);
    expect((await handle(fake.callbackRequest(webhookUrl, message))).status).toBe(200);
    expect(received.map((inbound) => [inbound.chat.id, inbound.platformMessageId])).toEqual([
      ['ann', '7381234567890'],
      ['ann', '7381234567890'],
    ]);
    expect(
      (await handle(fake.callbackRequest(webhookUrl, { msgType: 'event', event: 'enter_agent', fromUser: 'ann' }))).status,
    ).toBe(200);
    expect(received).toHaveLength(2);
  });

  it('answers 503 before start and after stop, without receive', async () => {
    await harness.create();
    const adapter = harness.channel;
    const fake = harness.fake;
    const request = () => fake.callbackRequest(webhookUrl, { fromUser: 'ann', content: 'early' });
    expect((await adapter.handleWebhook?.(request()))?.status).toBe(503);
    const run = recordingContext();
    await adapter.start(run.context);
    await adapter.stop();
    expect((await adapter.handleWebhook?.(request()))?.status).toBe(503);
    expect(run.received).toEqual([]);
  });
});
