import { Telegram } from 'telegraf';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeTelegramServer, type FakeTelegramServer } from './fake-telegram-server';

let fake: FakeTelegramServer;
afterEach(async () => {
  await fake?.close();
});

async function started() {
  fake = await createFakeTelegramServer();
  return new Telegram(fake.token, { apiRoot: fake.apiRoot, webhookReply: false });
}

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: { response?: { error_code: number; description: string; parameters?: { retry_after?: number } } }) => error.response,
  );

describe('fake Telegram Bot API, driven by telegraf', () => {
  it('answers getMe, and 401 for a wrong token', async () => {
    const telegram = await started();
    await expect(telegram.getMe()).resolves.toMatchObject({ id: 4242, is_bot: true, username: 'ngb_test_bot' });
    const stranger = new Telegram('999:wrong', { apiRoot: fake.apiRoot });
    expect(await failureOf(stranger.getMe())).toMatchObject({ error_code: 401, description: 'Unauthorized' });
  });

  it('holds a long poll until a message is injected, and forgets updates below the offset', async () => {
    const telegram = await started();
    const poll = telegram.getUpdates(30, 100, 0, []);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await fake.injectMessage({ chatId: 1001, text: 'hi @ngb_test_bot', from: { id: 77, first_name: 'Ann' } });
    const [update] = await poll;
    expect(update).toMatchObject({
      message: {
        message_id: 1,
        text: 'hi @ngb_test_bot',
        chat: { id: 1001, type: 'private' },
        from: { id: 77, first_name: 'Ann', is_bot: false },
        entities: [{ type: 'mention', offset: 3, length: 13 }],
      },
    });
    expect(await telegram.getUpdates(0, 100, update!.update_id, [])).toHaveLength(1);
    expect(await telegram.getUpdates(0, 100, update!.update_id + 1, [])).toEqual([]);
    expect(fake.pendingUpdates()).toBe(0);
  });

  it('records texts as people see them, parses MarkdownV2 strictly and refuses bad markup', async () => {
    const telegram = await started();
    await telegram.sendMessage(5, '*bold* and `a\\`b` 1\\.5 [x](http://e/\\)) \\\\', { parse_mode: 'MarkdownV2' });
    expect(fake.sent[0]).toMatchObject({
      method: 'sendMessage',
      chatId: '5',
      text: 'bold and a`b 1.5 x \\',
      parseMode: 'MarkdownV2',
    });
    const refused = await failureOf(telegram.sendMessage(5, 'version 1.5', { parse_mode: 'MarkdownV2' }));
    expect(refused).toMatchObject({ error_code: 400 });
    expect(refused?.description).toMatch(/^Bad Request: can't parse entities: Character '\.' is reserved/);
    expect(await failureOf(telegram.sendMessage(5, '*open', { parse_mode: 'MarkdownV2' }))).toMatchObject({ error_code: 400 });
    expect(await failureOf(telegram.sendMessage(5, 'x'.repeat(4097)))).toMatchObject({
      description: 'Bad Request: message is too long',
    });
    expect(fake.sent).toHaveLength(1);
  });

  it('edits and deletes messages, replies and threads, and typing', async () => {
    const telegram = await started();
    const sent = await telegram.sendMessage(5, 'draft', { message_thread_id: 9 });
    await telegram.editMessageText(5, sent.message_id, undefined, 'final');
    expect(await failureOf(telegram.editMessageText(5, sent.message_id, undefined, 'final'))).toMatchObject({ error_code: 400 });
    await telegram.sendChatAction(5, 'typing', { message_thread_id: 9 });
    await telegram.deleteMessage(5, sent.message_id);
    expect(await failureOf(telegram.deleteMessage(5, sent.message_id))).toMatchObject({
      description: 'Bad Request: message to delete not found',
    });
    expect(fake.sent.map(({ method, text, threadId }) => ({ method, text, threadId }))).toEqual([
      { method: 'sendMessage', text: 'draft', threadId: '9' },
      { method: 'editMessageText', text: 'final', threadId: undefined },
      { method: 'sendChatAction', text: undefined, threadId: '9' },
      { method: 'deleteMessage', text: undefined, threadId: undefined },
    ]);
  });

  it('takes documents and photos as multipart, and serves files through getFile and the file URL', async () => {
    const telegram = await started();
    const message = await telegram.sendDocument(
      5,
      { source: Buffer.from('a,b\n'), filename: 'table.csv' },
      { caption: 'the table' },
    );
    await telegram.sendPhoto(5, { source: Buffer.from([1, 2, 3]), filename: 'dot.png' });
    expect(fake.sent.map(({ method, file, text }) => ({ method, file: file?.name, size: file?.size, text }))).toEqual([
      { method: 'sendDocument', file: 'table.csv', size: 4, text: 'the table' },
      { method: 'sendPhoto', file: 'dot.png', size: 3, text: undefined },
    ]);
    const upload = fake.uploadFile({ name: 'notes.txt', mimeType: 'text/plain', data: new TextEncoder().encode('hello') });
    const file = await telegram.getFile(upload.file_id);
    expect(file).toMatchObject({ file_size: 5, file_path: expect.stringMatching(/^documents\/file_\d+\.txt$/) });
    const download = await fetch(`${fake.apiRoot}file/bot${fake.token}/${file.file_path}`);
    expect(await download.text()).toBe('hello');
    expect((await fetch(`${fake.apiRoot}file/botWRONG/${file.file_path}`)).status).toBe(404);
    expect('document' in message && message.document.file_name).toBe('table.csv');
  });

  it('fails the next call as told: 429 with retry_after, 5xx, markup rejection', async () => {
    const telegram = await started();
    fake.failNext('sendMessage', { status: 429, retryAfter: 7 });
    expect(await failureOf(telegram.sendMessage(5, 'x'))).toEqual({
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 7',
      parameters: { retry_after: 7 },
    });
    fake.failNext('sendMessage', { status: 502 });
    expect(await failureOf(telegram.sendMessage(5, 'x'))).toMatchObject({ error_code: 502 });
    fake.rejectMarkup('REJECT');
    expect(await failureOf(telegram.sendMessage(5, 'REJECT me', { parse_mode: 'MarkdownV2' }))).toMatchObject({
      error_code: 400,
    });
    await telegram.sendMessage(5, 'REJECT me');
    expect(fake.sent.map((sent) => sent.text)).toEqual(['REJECT me']);
  });

  it('fails every call of an outage until it ends, while getUpdates still answers', async () => {
    const telegram = await started();
    fake.startOutage({ status: 500 });
    expect(await failureOf(telegram.sendMessage(5, 'one'))).toMatchObject({ error_code: 500 });
    expect(await failureOf(telegram.sendMessage(5, 'two'))).toMatchObject({ error_code: 500 });
    await expect(telegram.getUpdates(0, 10, 0, [])).resolves.toEqual([]);
    fake.endOutage();
    await telegram.sendMessage(5, 'three');
    expect(fake.sent.map((sent) => sent.text)).toEqual(['three']);
  });

  it('posts updates to the webhook with its secret, and refuses getUpdates while it is set', async () => {
    const telegram = await started();
    const seen: Array<{ secret: string | null; body: unknown }> = [];
    const { createServer } = await import('node:http');
    const hook = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        seen.push({ secret: String(request.headers['x-telegram-bot-api-secret-token'] ?? ''), body: JSON.parse(body) });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const port = (hook.address() as import('node:net').AddressInfo).port;
    await telegram.setWebhook(`http://127.0.0.1:${port}/hook`, { secret_token: 'sekret_1' });
    expect(await failureOf(telegram.getUpdates(0, 100, 0, []))).toMatchObject({ error_code: 409 });
    await fake.injectMessage({ chatId: 1001, text: 'pushed' });
    expect(seen).toEqual([
      { secret: 'sekret_1', body: expect.objectContaining({ message: expect.objectContaining({ text: 'pushed' }) }) },
    ]);
    expect(fake.webhookDeliveries.map((delivery) => delivery.status)).toEqual([200]);
    await telegram.deleteWebhook();
    expect(fake.webhook).toBeUndefined();
    await new Promise<void>((resolve) => hook.close(() => resolve()));
  });

  it('drops connections, failing the pending call with a network error', async () => {
    const telegram = await started();
    const poll = telegram.getUpdates(30, 100, 0, []).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    fake.dropConnections();
    expect(await poll).toMatch(/socket hang up|ECONNRESET/);
  });

  it('goes silent without closing, and answers again on resume', async () => {
    const telegram = await started();
    fake.goSilent();
    let answered = false;
    const call = telegram.getMe().then(() => {
      answered = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answered).toBe(false);
    fake.resume();
    await call;
    expect(answered).toBe(true);
  });

  it('holds a chosen send until released, and drops it without effect when its client went away', async () => {
    const telegram = await started();
    const second = fake.holdNext('sendMessage', { skip: 1 });
    await telegram.sendMessage(5, 'one');
    const pending = telegram.sendMessage(5, 'two');
    expect(await second.held).toMatchObject({ text: 'two' });
    expect(fake.sent.map((sent) => sent.text)).toEqual(['one']);
    second.release();
    await pending;
    expect(fake.sent.map((sent) => sent.text)).toEqual(['one', 'two']);

    const lost = fake.holdNext('sendMessage');
    const abandoned = telegram.sendMessage(5, 'three').catch((error: Error) => error.message);
    await lost.held;
    fake.dropConnections();
    expect(await abandoned).toMatch(/socket hang up|ECONNRESET/);
    lost.release();
    await telegram.sendMessage(5, 'four');
    expect(fake.sent.map((sent) => sent.text)).toEqual(['one', 'two', 'four']);
  });
});
