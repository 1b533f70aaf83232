import { ChannelApiError, NotFoundError } from '@ngb/plugin-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TelegramChannel } from './telegram-channel';
import { createRecordingContext, createTelegramChannelHarness } from './testing/telegram-channel-harness';

const harness = createTelegramChannelHarness('polling');
let channel: TelegramChannel;
const address = { channel: 'telegram', chatId: '1001' };
const topic = { channel: 'telegram', chatId: '-1001555000111', threadId: '198' };

beforeEach(async () => {
  channel = await harness.create();
  await channel.start(createRecordingContext().context);
});
afterEach(async () => {
  await channel.stop();
  await harness.dispose?.();
});

const paramsOf = (method: string) => harness.fake.calls.filter((call) => call.method === method).map((call) => call.params);
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('Telegram sends', () => {
  it('converts markdown to MarkdownV2 that shows the text as written', async () => {
    await channel.send(address, {
      text: '**Done.** Version 1.2 - see [the docs](https://e.com/a_(b)) `x*y`',
      format: 'markdown',
    });
    expect(harness.fake.sent[0]).toMatchObject({ text: 'Done. Version 1.2 - see the docs x*y', parseMode: 'MarkdownV2' });
  });

  it('sends plain text without parse mode, exactly as given', async () => {
    await channel.send(address, { text: '*not bold* 1.5 [x](y)', format: 'plain' });
    expect(paramsOf('sendMessage')).toEqual([{ chat_id: '1001', text: '*not bold* 1.5 [x](y)' }]);
  });

  it("resends as plain text when Telegram answers can't parse entities", async () => {
    harness.fake.failNext('sendMessage', {
      status: 400,
      description: "Bad Request: can't parse entities: Unsupported start tag",
    });
    const receipt = await channel.send(address, { text: 'a **b**', format: 'markdown' });
    expect(paramsOf('sendMessage').map((params) => params.parse_mode)).toEqual(['MarkdownV2', undefined]);
    expect(harness.fake.sent).toEqual([
      expect.objectContaining({ text: 'a **b**', messageId: Number(receipt.platformMessageId) }),
    ]);
  });

  it('answers in a forum topic and replies to a message, with Telegram integer ids', async () => {
    await channel.send(topic, { text: 'in the topic', format: 'plain', replyTo: '205' });
    expect(paramsOf('sendMessage')[0]).toMatchObject({
      chat_id: '-1001555000111',
      message_thread_id: 198,
      reply_parameters: { message_id: 205, allow_sending_without_reply: true },
    });
    await channel.sendTyping(topic);
    expect(paramsOf('sendChatAction')).toEqual([{ chat_id: '-1001555000111', action: 'typing', message_thread_id: 198 }]);
  });

  it('edits in the format asked, treats "not modified" as done and a missing message as NotFoundError', async () => {
    const receipt = await channel.send(address, { text: 'draft', format: 'markdown' });
    await channel.edit(address, receipt.platformMessageId, 'final **answer** 2.0', 'markdown');
    await channel.edit(address, receipt.platformMessageId, 'final **answer** 2.0', 'markdown');
    expect(harness.fake.sent.filter((sent) => sent.method === 'editMessageText')).toEqual([
      expect.objectContaining({ text: 'final answer 2.0', parseMode: 'MarkdownV2' }),
    ]);
    const missing = await failure(channel.edit(address, '999', 'x'));
    expect(NotFoundError.isInstance(missing)).toBe(true);
  });

  it('deletes a message, and a message already gone resolves', async () => {
    const receipt = await channel.send(address, { text: 'soon gone', format: 'plain' });
    await channel.delete(address, receipt.platformMessageId);
    await channel.delete(address, receipt.platformMessageId);
    expect(harness.fake.sent.filter((sent) => sent.method === 'deleteMessage')).toHaveLength(1);
  });

  it('maps failures: 429 with retry_after, 5xx retryable, 403 a missing permission', async () => {
    harness.fake.failNext('sendMessage', { status: 429, retryAfter: 7 });
    harness.fake.failNext('sendMessage', { status: 502 });
    harness.fake.failNext('sendMessage', { status: 403, description: 'Forbidden: bot was kicked from the group chat' });
    const limited = await failure(channel.send(address, { text: 'x', format: 'plain' }));
    const unavailable = await failure(channel.send(address, { text: 'x', format: 'plain' }));
    const forbidden = await failure(channel.send(address, { text: 'x', format: 'plain' }));
    expect(limited).toMatchObject({ status: 429, retryable: true, retryAfterMs: 7_000 });
    expect(unavailable).toMatchObject({ status: 502, retryable: true });
    expect(forbidden).toMatchObject({ status: 403, retryable: false });
    expect((forbidden as Error).message).toBe(
      '[@ngb/channel-telegram] sendMessage: missing permission (403 Forbidden: bot was kicked from the group chat)',
    );
  });
});

describe('Telegram files', () => {
  it('sends JPEG/PNG/WebP images as photos and anything else as documents, in the thread asked', async () => {
    await channel.sendFile(topic, {
      name: 'chart.png',
      data: new Uint8Array([1, 2, 3]),
      mimeType: 'image/png',
      caption: 'the chart',
    });
    await channel.sendFile(address, { name: 'data.csv', data: new TextEncoder().encode('a,b\n'), mimeType: 'text/csv' });
    expect(harness.fake.sent.map(({ method, file, text, threadId }) => ({ method, name: file?.name, text, threadId }))).toEqual([
      { method: 'sendPhoto', name: 'chart.png', text: 'the chart', threadId: '198' },
      { method: 'sendDocument', name: 'data.csv', text: undefined, threadId: undefined },
    ]);
  });

  it('sends a caption longer than Telegram takes as a message just before the file', async () => {
    const caption = 'c'.repeat(1500);
    await channel.sendFile(address, { name: 'notes.txt', data: new Uint8Array([65]), mimeType: 'text/plain', caption });
    expect(harness.fake.sent.map(({ method, text }) => ({ method, text }))).toEqual([
      { method: 'sendMessage', text: caption },
      { method: 'sendDocument', text: undefined },
    ]);
  });

  it('refuses a download past maxBytes from the announced size, before downloading', async () => {
    const file = harness.fake.uploadFile({ name: 'big.bin', mimeType: 'application/octet-stream', data: new Uint8Array(100) });
    const refused = await failure(channel.fetchAttachment({ kind: 'file', reference: file.file_id }, { maxBytes: 99 }));
    expect(ChannelApiError.isInstance(refused) && refused.status).toBe(413);
    expect(harness.fake.calls.map((call) => call.method)).toContain('getFile');
  });

  it('counts the bytes as they arrive when the announced size is a lie', async () => {
    const file = harness.fake.uploadFile({
      name: 'liar.bin',
      mimeType: 'application/octet-stream',
      data: new Uint8Array(100),
      announcedSize: 10,
    });
    const read = async () => {
      for await (const _chunk of await channel.fetchAttachment({ kind: 'file', reference: file.file_id }, { maxBytes: 50 })) {
        // reading
      }
    };
    const refused = await failure(read());
    expect(ChannelApiError.isInstance(refused) && refused.status).toBe(413);
  });

  it('reports an unknown file id as a client error', async () => {
    const refused = await failure(channel.fetchAttachment({ kind: 'file', reference: 'gone' }, { maxBytes: 10 }));
    expect(refused).toMatchObject({ status: 400, retryable: false });
  });
});
