import { readFileSync } from 'node:fs';
import { createFakeWhatsAppCloudServer, type FakeWhatsAppCloudServer, whatsAppSignature } from '@ngb/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWhatsAppTestContext } from './testing/whatsapp-test-context';
import { createWhatsAppChannel } from './whatsapp-channel';
import type { WhatsAppCloudChannel } from './whatsapp-cloud-channel';

const url = 'http://ngb.invalid/channels/whatsapp/webhook';
const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}.json`, import.meta.url), 'utf8');

describe('the WhatsApp Cloud API webhook', () => {
  let fake: FakeWhatsAppCloudServer;
  let channel: WhatsAppCloudChannel;
  let test: ReturnType<typeof createWhatsAppTestContext>;

  beforeEach(async () => {
    fake = await createFakeWhatsAppCloudServer();
    channel = createWhatsAppChannel({
      phoneNumberId: fake.phoneNumberId,
      apiBaseUrl: fake.url,
      accessToken: fake.accessToken,
      appSecret: fake.appSecret,
      verifyToken: fake.verifyToken,
      maxBodyBytes: 64 * 1024,
    }) as WhatsAppCloudChannel;
    test = createWhatsAppTestContext();
    await channel.start(test.context);
  });
  afterEach(async () => {
    await channel.stop();
    await fake.close();
  });

  const signed = (body: string, signature = whatsAppSignature(fake.appSecret, body)) =>
    new Request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body });

  it("answers Meta's verification handshake only with the right verify token", async () => {
    const verify = (query: string) => channel.handleWebhook(new Request(`${url}?${query}`));
    const good = await verify(`hub.mode=subscribe&hub.verify_token=${fake.verifyToken}&hub.challenge=1158201444`);
    expect(good.status).toBe(200);
    expect(await good.text()).toBe('1158201444');
    expect((await verify('hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1')).status).toBe(403);
    expect((await verify(`hub.mode=unsubscribe&hub.verify_token=${fake.verifyToken}&hub.challenge=1`)).status).toBe(403);
    expect((await verify('hub.mode=subscribe&hub.challenge=1')).status).toBe(403);
  });

  it('refuses a missing or wrong signature, an oversized body and a signed non-JSON body, storing nothing', async () => {
    const body = fixture('cloud-text');
    const unsigned = new Request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect((await channel.handleWebhook(unsigned)).status).toBe(401);
    expect((await channel.handleWebhook(signed(body, whatsAppSignature('another-secret', body)))).status).toBe(401);
    expect((await channel.handleWebhook(signed(body, 'sha256=00'))).status).toBe(401);
    const tampered = body.replace('another color', 'a free upgrade');
    expect((await channel.handleWebhook(signed(tampered, whatsAppSignature(fake.appSecret, body)))).status).toBe(401);
    expect((await channel.handleWebhook(signed(`${body}${' '.repeat(64 * 1024)}`))).status).toBe(413);
    expect((await channel.handleWebhook(signed('{"object":'))).status).toBe(400);
    expect(test.received).toEqual([]);
    expect(JSON.stringify(test.logger.lines)).not.toContain(fake.appSecret);
  });

  it('normalizes a documented text message', async () => {
    expect((await channel.handleWebhook(signed(fixture('cloud-text')))).status).toBe(200);
    expect(test.received).toEqual([
      {
        kind: 'message',
        channel: 'whatsapp',
        chat: { id: '16505551234', isGroup: false, name: 'Sheena Nelson' },
        platformMessageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
        sender: { id: '16505551234', name: 'Sheena Nelson', isBot: false },
        text: 'Does it come in another color?',
        mentionsBot: false,
        timestamp: 1749416383000,
      },
    ]);
  });

  it('normalizes an image replying to the bot (caption, media id, reply, mention) and a document', async () => {
    expect((await channel.handleWebhook(signed(fixture('cloud-image-reply')))).status).toBe(200);
    expect((await channel.handleWebhook(signed(fixture('cloud-document')))).status).toBe(200);
    expect(test.received[0]).toMatchObject({
      text: 'This one?',
      mentionsBot: true,
      replyTo: { id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3NjA0QkQ2QzBDRjE0NjY4OTQA', author: { id: fake.phoneNumberId } },
      attachments: [{ kind: 'image', reference: '1003383421387256', mimeType: 'image/jpeg' }],
    });
    expect(test.received[1]).toMatchObject({
      text: 'the invoice',
      attachments: [{ kind: 'file', reference: '1099573058627826', name: 'invoice-2025-06.pdf', mimeType: 'application/pdf' }],
    });
  });

  it('answers statuses and reactions 200 without storing anything', async () => {
    expect((await channel.handleWebhook(signed(fixture('cloud-status-and-reaction')))).status).toBe(200);
    expect(test.received).toEqual([]);
  });

  it('answers 500 while receive fails, so Meta redelivers the same wamid, and 200 once it is stored', async () => {
    test.failNext(1);
    const server = await import('node:http').then(({ createServer }) =>
      createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          void channel
            .handleWebhook(
              new Request(url, {
                method: 'POST',
                headers: request.headers as Record<string, string>,
                body: Buffer.concat(chunks),
              }),
            )
            .then(async (answer) => {
              response.writeHead(answer.status);
              response.end(await answer.text());
            });
        });
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const target = `http://127.0.0.1:${(server.address() as { port: number }).port}/channels/whatsapp/webhook`;
      const delivery = await fake.deliver(target, { from: '16505551234', name: 'Sheena', text: 'are you there?' });
      expect(delivery.statuses).toEqual([500, 200]);
      expect(await fake.redeliver(target, delivery)).toBe(200);
      expect(test.received.map((message) => message.platformMessageId)).toEqual([delivery.id, delivery.id]);
    } finally {
      server.close();
    }
  });

  it('answers 503 before start and after stop, without receiving', async () => {
    await channel.stop();
    expect((await channel.handleWebhook(signed(fixture('cloud-text')))).status).toBe(503);
    expect(test.received).toEqual([]);
  });
});
