import { ChannelApiError } from '@ngb/plugin-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { type DiscordTestRun, eventually, startDiscordTestRun } from './testing/discord-test-run';

const refusal = (promise: Promise<AsyncIterable<Uint8Array>>) =>
  promise
    .then(async (stream) => {
      for await (const _ of stream);
    })
    .then(
      () => undefined,
      (error: unknown) => error,
    );

// A CDN answering in chunks, without Content-Length: the real bytes of the fake, the header dropped.
const chunkedFetch: typeof fetch = async (url, init) => {
  const response = await fetch(url, init);
  return new Response(response.body, { status: response.status });
};

describe('Discord files', () => {
  let run: DiscordTestRun;
  afterEach(async () => run.close());

  const inboundFile = async (bytes: number) => {
    run.fake.injectMessage({
      channelId: '2002',
      author: { id: '77', username: 'ann' },
      content: 'a file',
      attachments: [{ filename: 'big.bin', contentType: 'application/octet-stream', data: new Uint8Array(bytes).fill(7) }],
    });
    const message = await eventually(() => run.received[0], 'the message');
    const attachment = message.attachments?.[0];
    if (!attachment) throw new Error('[test] no attachment');
    return attachment;
  };

  it('counts the bytes it reads: a size announced too small still stops at maxBytes with 413', async () => {
    run = await startDiscordTestRun({}, { fetch: chunkedFetch });
    const attachment = await inboundFile(100_000);
    const error = await refusal(run.channel.fetchAttachment({ ...attachment, size: 10 }, { maxBytes: 50_000 }));
    expect(ChannelApiError.isInstance(error) && error.status).toBe(413);
  });

  it('refuses a reference to a host that is not Discord’s (the store hands references back)', async () => {
    run = await startDiscordTestRun();
    const attachment = await inboundFile(10);
    const before = run.fake.requests.length;
    const error = await refusal(
      run.channel.fetchAttachment({ ...attachment, reference: 'http://169.254.169.254/latest/meta-data' }, { maxBytes: 1_000 }),
    );
    expect(ChannelApiError.isInstance(error) && [error.status, error.retryable]).toEqual([400, false]);
    expect(run.fake.requests.length).toBe(before);
  });

  it('sends a file as a multipart upload with its caption escaped as plain text', async () => {
    run = await startDiscordTestRun();
    await run.channel.sendFile(
      { channel: 'discord', chatId: '2002', threadId: '4004' },
      { name: 'report.md', data: new TextEncoder().encode('# hi'), mimeType: 'text/markdown', caption: 'see *this*' },
    );
    expect(run.fake.sent[0]).toMatchObject({
      channelId: '4004',
      content: 'see \\*this\\*',
      files: [{ filename: 'report.md', contentType: 'text/markdown', size: 4 }],
    });
  });
});
