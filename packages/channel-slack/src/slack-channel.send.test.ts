import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChannelApiError } from '@ngb/plugin-sdk';
import { createFakeSlackServer, type FakeSlackServer } from '@ngb/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type createTestContext, startSlackChannel } from './__tests__/slack-test-context';
import type { SlackChannel } from './slack-channel';
import { createSlackFiles } from './slack-files';

let fake: FakeSlackServer;
let channel: SlackChannel;
let test: ReturnType<typeof createTestContext>;
const address = { channel: 'slack', chatId: 'C1' };

beforeEach(async () => {
  fake = await createFakeSlackServer();
  ({ test, channel } = await startSlackChannel(fake));
});

afterEach(async () => {
  await channel.stop();
  await fake.close();
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as ChannelApiError,
  );

describe('Slack sends: errors through mapSlackError, one call each (the SDK retries nothing)', () => {
  it('HTTP 429 with Retry-After is retryable after that many seconds', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 7 });
    const error = await failure(channel.send(address, { text: 'x', format: 'plain' }));
    expect(error).toMatchObject({ status: 429, retryable: true, retryAfterMs: 7_000 });
    expect(fake.calls('chat.postMessage')).toHaveLength(1);
  });

  it('{ ok: false, error: "ratelimited" } is a retryable 429', async () => {
    fake.failNext('chat.postMessage', { error: 'ratelimited' });
    expect(await failure(channel.send(address, { text: 'x', format: 'plain' }))).toMatchObject({ status: 429, retryable: true });
  });

  it('a 5xx is retryable, once', async () => {
    fake.failNext('chat.postMessage', { status: 503 });
    expect(await failure(channel.send(address, { text: 'x', format: 'plain' }))).toMatchObject({ status: 503, retryable: true });
    expect(fake.calls('chat.postMessage')).toHaveLength(1);
  });

  it('missing_scope is a 403 naming the scope, not retryable', async () => {
    fake.failNext('chat.postMessage', { error: 'missing_scope', needed: 'chat:write' });
    const error = await failure(channel.send(address, { text: 'x', format: 'plain' }));
    expect(error).toMatchObject({ status: 403, retryable: false });
    expect(error?.message).toContain('missing permission chat:write');
  });

  it('a token revoked while running (invalid_auth) is a 401 and marks the channel failed', async () => {
    fake.failNext('chat.postMessage', { error: 'invalid_auth' });
    const error = await failure(channel.send(address, { text: 'x', format: 'plain' }));
    expect(ChannelApiError.isInstance(error) && error.status).toBe(401);
    expect(test.statuses.at(-1)).toMatchObject({ state: 'failed', error: expect.stringContaining('token rejected') });
  });
});

describe('Slack sends: markup', () => {
  it('sends markdown as mrkdwn and plain text escaped with mrkdwn off', async () => {
    await channel.send(address, { text: '**bold** & [docs](https://x.test)', format: 'markdown' });
    await channel.send(address, { text: '*not bold* <@U1>', format: 'plain' });
    const [markdown, plain] = fake.calls('chat.postMessage').map((call) => call.params);
    expect(markdown).toMatchObject({ text: '*bold* &amp; <https://x.test|docs>', mrkdwn: 'true' });
    expect(plain).toMatchObject({ text: '*not bold* &lt;@U1&gt;', mrkdwn: 'false' });
  });

  it('resends as plain what Slack rejects as markup (invalid_blocks), never losing it', async () => {
    fake.rejectMarkup('[[no]]');
    const receipt = await channel.send(address, { text: '**a** [[no]]', format: 'markdown' });
    expect(fake.calls('chat.postMessage').map((call) => call.params.mrkdwn)).toEqual(['true', 'false']);
    expect(fake.sent().messages).toEqual([
      expect.objectContaining({ ts: receipt.platformMessageId, text: '**a** [[no]]', format: 'plain' }),
    ]);
  });

  it('edits in the format asked: mrkdwn text (clearing blocks), or plain_text blocks', async () => {
    const { platformMessageId } = await channel.send(address, { text: 'draft', format: 'markdown' });
    await channel.edit(address, platformMessageId, '**done**', 'markdown');
    await channel.edit(address, platformMessageId, '*literal* & <b>');
    const [markdown, plain] = fake.calls('chat.update').map((call) => call.params);
    expect(markdown).toMatchObject({ ts: platformMessageId, text: '*done*', blocks: [] });
    expect(plain).toMatchObject({ blocks: [{ type: 'section', text: { type: 'plain_text', text: '*literal* & <b>' } }] });
    expect(fake.sent().edits.map((edit) => [edit.text, edit.format])).toEqual([
      ['done', 'markdown'],
      ['*literal* & <b>', 'plain'],
    ]);
  });

  it('answers in a thread with thread_ts; deleting a message already gone resolves', async () => {
    await channel.send({ ...address, threadId: '1700000000.000100' }, { text: 'in the thread', format: 'plain' });
    expect(fake.sent().messages[0]?.threadTs).toBe('1700000000.000100');
    await expect(channel.delete(address, '1.000000')).resolves.toBeUndefined();
  });
});

describe('Slack files', () => {
  it('uploads through getUploadURLExternal → upload → completeUploadExternal, into the thread, caption escaped', async () => {
    const data = new TextEncoder().encode('a,b\n');
    const receipt = await channel.sendFile(
      { ...address, threadId: '1700000000.000100' },
      { name: 't.csv', data, caption: 'see <this>' },
    );
    expect(
      fake
        .calls()
        .map((call) => call.method)
        .slice(-2),
    ).toEqual(['files.getUploadURLExternal', 'files.completeUploadExternal']);
    expect(fake.calls('files.completeUploadExternal')[0]?.params).toMatchObject({
      initial_comment: 'see &lt;this&gt;',
      thread_ts: '1700000000.000100',
    });
    expect(fake.sent().files).toEqual([
      {
        channel: 'C1',
        ts: receipt.platformMessageId,
        threadTs: '1700000000.000100',
        fileId: expect.any(String),
        name: 't.csv',
        size: 4,
        caption: 'see <this>',
      },
    ]);
  });

  it('never sends the bot token to a host that is not Slack (nor the configured API)', async () => {
    const seen: Array<string | undefined> = [];
    const other = createServer((request, response) => {
      seen.push(request.headers.authorization);
      response.end('secret');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const reference = `http://127.0.0.1:${(other.address() as AddressInfo).port}/files-pri/T-F1/download/x.txt`;
    const error = await failure(channel.fetchAttachment({ kind: 'file', reference }, { maxBytes: 100 }));
    other.close();
    expect(error).toMatchObject({ status: 400, message: expect.stringContaining('refusing to send the bot token') });
    expect(seen).toEqual([]);
  });

  it('counts the bytes it reads when no size is announced, and stops past maxBytes with 413', async () => {
    const chunk = new Uint8Array(40).fill(65);
    const unannounced = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            controller.enqueue(chunk);
          },
        }),
        { headers: { 'content-type': 'text/plain' } },
      );
    const files = createSlackFiles({
      client: undefined as never,
      botToken: 't',
      apiUrl: 'https://slack.com/api/',
      fetch: unannounced,
    });
    const download = await files.fetchAttachment(
      { kind: 'file', reference: 'https://files.slack.com/files-pri/T-F/download/a' },
      { maxBytes: 100 },
    );
    let read = 0;
    const error = await (async () => {
      for await (const part of download) {
        read += part.length;
        if (read > 1_000) break;
      }
    })().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(ChannelApiError.isInstance(error) && error.status).toBe(413);
    expect(read).toBeLessThanOrEqual(100);
  });

  it('a sign-in page instead of the file means the token may not read files (403 files:read)', async () => {
    const file = fake.addFile({ name: 'a.txt', mimetype: 'text/plain', data: new Uint8Array([1]), user: 'U1' });
    const files = createSlackFiles({ client: undefined as never, botToken: 'xoxb-wrong', apiUrl: fake.apiUrl });
    const error = await failure(files.fetchAttachment({ kind: 'file', reference: file.url_private_download }, { maxBytes: 100 }));
    expect(error).toMatchObject({ status: 403, message: expect.stringContaining('files:read') });
  });
});
