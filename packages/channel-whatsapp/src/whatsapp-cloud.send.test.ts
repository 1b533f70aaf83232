import { ChannelApiError } from '@ngb/plugin-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWhatsAppCloudHarness } from './testing/whatsapp-cloud-harness';
import { createWhatsAppTestContext } from './testing/whatsapp-test-context';

const address = { channel: 'whatsapp', chatId: '16505551234' };

async function refusal(promise: Promise<unknown>): Promise<ChannelApiError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!ChannelApiError.isInstance(error)) throw new Error(`expected a ChannelApiError, got ${String(error)}`);
  return error;
}

async function readAll(stream: Promise<AsyncIterable<Uint8Array>>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of await stream) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

describe('WhatsApp Cloud API sends', () => {
  const harness = createWhatsAppCloudHarness();
  let test: ReturnType<typeof createWhatsAppTestContext>;

  beforeEach(async () => {
    await harness.create();
    test = createWhatsAppTestContext();
    await harness.channel.start(test.context);
  });
  afterEach(async () => {
    await harness.channel.stop();
    await harness.dispose?.();
  });

  it('knows the business number after start, and sends markdown as WhatsApp markup with the reply context', async () => {
    expect(harness.channel.self).toEqual({ id: harness.fake.phoneNumberId, name: 'Test number' });
    const receipt = await harness.channel.send(address, {
      text: '**Done**: see `out.txt` and _this_ ~~not that~~',
      format: 'markdown',
      replyTo: 'wamid.Q',
    });
    const [sent] = harness.fake.sent;
    expect(sent).toMatchObject({ id: receipt.platformMessageId, to: address.chatId, replyTo: 'wamid.Q' });
    expect(sent?.body).toBe('*Done*: see `out.txt` and _this_ ~not that~');
    expect(sent?.text).toBe('Done: see out.txt and this not that');
    expect(sent?.styles.map((style) => style.style).sort()).toEqual(['bold', 'code', 'italic', 'strike']);
  });

  it('sends plain text so that WhatsApp shows its markers as written', async () => {
    await harness.channel.send(address, { text: 'use *args and **kwargs, snake_case_name, ~/dir, `x`', format: 'plain' });
    const [sent] = harness.fake.sent;
    expect(sent?.text).toBe('use *args and **kwargs, snake_case_name, ~/dir, `x`');
    expect(sent?.styles).toEqual([]);
  });

  it('refuses outside the 24-hour window with a non-retryable error saying only a template could be sent', async () => {
    harness.fake.closeWindow(address.chatId);
    const error = await refusal(harness.channel.send(address, { text: 'late', format: 'plain' }));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/24 hours/);
    expect(error.message).toMatch(/template/);
    expect(error.message).toMatch(/ngb does not send templates/);
  });

  it('maps rate limits to retryable errors with Retry-After, and 5xx and network failures to retryable', async () => {
    for (const code of [130429, 80007, 4]) {
      harness.fake.failNext({ code, status: code === 130429 ? 400 : 429, retryAfterSeconds: 7, pathEndsWith: '/messages' });
      const error = await refusal(harness.channel.send(address, { text: 'x', format: 'plain' }));
      expect({ code, status: error.status, retryable: error.retryable, retryAfterMs: error.retryAfterMs }).toEqual({
        code,
        status: 429,
        retryable: true,
        retryAfterMs: 7000,
      });
    }
    harness.fake.failNext({ code: 131000, status: 500, message: 'Something went wrong' });
    expect((await refusal(harness.channel.send(address, { text: 'x', format: 'plain' }))).retryable).toBe(true);
    harness.fake.failNext({ code: 100, status: 400, message: 'Invalid parameter' });
    const invalid = await refusal(harness.channel.send(address, { text: 'x', format: 'plain' }));
    expect({ status: invalid.status, retryable: invalid.retryable }).toEqual({ status: 400, retryable: false });
    await harness.fake.close();
    expect((await refusal(harness.channel.send(address, { text: 'x', format: 'plain' }))).retryable).toBe(true);
  });

  it('reports a token refused while running (190) as failed, not retryable', async () => {
    harness.fake.failNext({ code: 190, status: 401, message: 'Error validating access token: Session has expired' });
    const error = await refusal(harness.channel.send(address, { text: 'x', format: 'plain' }));
    expect({ status: error.status, retryable: error.retryable }).toEqual({ status: 401, retryable: false });
    expect(error.message).toContain('WHATSAPP_ACCESS_TOKEN');
    expect(test.statuses.at(-1)).toMatchObject({ state: 'failed' });
  });

  it('refuses to start with a token WhatsApp does not accept', async () => {
    await harness.channel.stop();
    harness.fake.failNext({ code: 190, status: 401 });
    const error = await refusal(harness.channel.start(createWhatsAppTestContext().context));
    expect(error.status).toBe(401);
  });

  it('uploads a file and sends it as an image or a document', async () => {
    const png = await harness.channel.sendFile(address, {
      name: 'plot.png',
      data: new Uint8Array([137, 80, 78, 71]),
      mimeType: 'image/png',
      caption: 'the *plot*',
    });
    await harness.channel.sendFile(address, { name: 'report.pdf', data: new Uint8Array(10), mimeType: 'application/pdf' });
    expect(harness.fake.sent.map((sent) => ({ type: sent.type, text: sent.text, media: sent.media?.filename }))).toEqual([
      { type: 'image', text: 'the *plot*', media: 'plot.png' },
      { type: 'document', text: '', media: 'report.pdf' },
    ]);
    expect(harness.fake.sent[0]?.id).toBe(png.platformMessageId);
    expect(harness.fake.calls.filter((call) => call.path.endsWith('/media')).every((call) => call.authorized)).toBe(true);
  });

  it('downloads an inbound media item with the token, refusing one past maxBytes from the announced and the read size', async () => {
    const data = new TextEncoder().encode('x'.repeat(300));
    const id = harness.fake.addMedia({ data, mimeType: 'text/plain' });
    const attachment = { kind: 'file' as const, reference: id };
    expect(await readAll(harness.channel.fetchAttachment(attachment, { maxBytes: 1000 }))).toEqual(data);
    expect((await refusal(readAll(harness.channel.fetchAttachment(attachment, { maxBytes: 299 })))).status).toBe(413);
    expect(
      (await refusal(readAll(harness.channel.fetchAttachment({ kind: 'file', reference: '999' }, { maxBytes: 10 })))).retryable,
    ).toBe(false);
  });
});
