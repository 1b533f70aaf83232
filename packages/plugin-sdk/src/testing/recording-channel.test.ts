import { describe, expect, it } from 'vitest';
import type { InboundMessage } from '../contracts/channel';
import {
  canDelete,
  canEdit,
  canFetchFiles,
  canHandleWebhooks,
  canSendFiles,
  canType,
  hasThreads,
} from '../contracts/channel-capabilities';
import { ChannelApiError, NotFoundError } from '../errors';
import { silentLogger } from '../logger';
import { describeChannelContract } from './channel-contract';
import { createRecordingChannel } from './recording-channel';
import { createRecordingChannelHarness } from './recording-channel-harness';
import { createRecordingWebhookRequest } from './recording-webhook';

describeChannelContract(
  'recording channel, default capabilities',
  createRecordingChannelHarness({ limits: { maxMessageLength: 100 } }),
);

describeChannelContract(
  'recording channel, every capability, messages by webhook',
  createRecordingChannelHarness(
    {
      name: 'fake-all',
      limits: { maxMessageLength: 50 },
      capabilities: {
        typing: true,
        edit: true,
        delete: true,
        react: true,
        files: true,
        threads: true,
        buttons: true,
        webhook: { secret: 's3cret' },
      },
      rejectsMarkup: (text) => text.includes('**unbalanced'),
    },
    { replies: true, edits: true, deletions: true, rejectedMarkup: 'a **unbalanced reply' },
  ),
);

describeChannelContract(
  'recording channel, edit and delete only, a platform without replies',
  createRecordingChannelHarness(
    { name: 'fake-edit', capabilities: { edit: true, delete: true }, self: { id: 'U0BOT', name: 'Helper' } },
    { directChatId: 'D:1', groupChatId: 'G%2', echoesOwnMessages: false },
  ),
);

describeChannelContract(
  'recording channel, webhook and files, no typing',
  createRecordingChannelHarness({ name: 'fake-hook', capabilities: { files: true, webhook: { secret: 'another secret' } } }),
);

const context = {
  receive: async () => ({ dropped: 'recorded by the test' }) as const,
  logger: silentLogger,
  setStatus: () => undefined,
};

describe('recording channel', () => {
  it('has exactly the capabilities its options ask for', () => {
    const none = createRecordingChannel({ capabilities: {} });
    expect([canType, canEdit, canDelete, canSendFiles, hasThreads, canHandleWebhooks].map((guard) => guard(none))).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(canType(createRecordingChannel())).toBe(true);
    const all = createRecordingChannel({
      capabilities: { typing: true, edit: true, delete: true, files: true, threads: true, webhook: { secret: 'x' } },
    });
    expect([canType, canEdit, canDelete, canSendFiles, hasThreads, canHandleWebhooks].map((guard) => guard(all))).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
  });

  it('reports its own account only while started', async () => {
    const channel = createRecordingChannel({ self: { id: 'bot-9', name: 'Nine' } });
    expect(channel.self).toBeUndefined();
    await channel.start(context);
    expect(channel.self).toEqual({ id: 'bot-9', name: 'Nine' });
    await channel.stop();
    expect(channel.self).toBeUndefined();
  });

  it('refuses webhook requests without the secret, with a bad body, or while stopped', async () => {
    const calls: unknown[] = [];
    const channel = createRecordingChannel({ capabilities: { webhook: { secret: 'right' } } });
    const handle = channel.handleWebhook;
    if (!handle) throw new Error('no webhook');
    expect((await handle(createRecordingWebhookRequest({ text: 'early' }, 'right'))).status).toBe(503);
    await channel.start({
      ...context,
      receive: async (message) => {
        calls.push(message);
        return { dropped: 'recorded by the test' };
      },
    });
    expect((await handle(createRecordingWebhookRequest({ text: 'unsigned' }))).status).toBe(401);
    expect((await handle(createRecordingWebhookRequest({ text: 'wrong' }, 'righ'))).status).toBe(401);
    const notJson = new Request('http://x/', { method: 'POST', headers: { 'x-fake-secret': 'right' }, body: '{"text":' });
    expect((await handle(notJson)).status).toBe(400);
    const noText = new Request('http://x/', { method: 'POST', headers: { 'x-fake-secret': 'right' }, body: '{"chat":1}' });
    expect((await handle(noText)).status).toBe(400);
    const badFiles = new Request('http://x/', {
      method: 'POST',
      headers: { 'x-fake-secret': 'right' },
      body: '{"text":"x","files":[{"name":"a"}]}',
    });
    expect((await handle(badFiles)).status).toBe(400);
    expect((await handle(new Request('http://x/', { method: 'GET', headers: { 'x-fake-secret': 'right' } }))).status).toBe(405);
    expect(calls).toEqual([]);
    expect((await handle(createRecordingWebhookRequest({ text: 'good' }, 'right'))).status).toBe(200);
    expect(calls).toHaveLength(1);
  });

  it('turns posted files into attachments it downloads only with the files capability, announcing the size it is told', async () => {
    const received: InboundMessage[] = [];
    const receiving = {
      ...context,
      receive: async (message: InboundMessage) => {
        received.push(message);
        return { dropped: 'kept' as const };
      },
    };
    const data = new Uint8Array([1, 2, 3, 4, 5]);
    const files = [
      { name: 'photo.jpg', mimeType: 'image/jpeg', data },
      { name: 'voice.ogg', mimeType: 'audio/ogg', data, announcedSize: 2 },
    ];
    const without = createRecordingChannel({ capabilities: {} });
    await without.start(receiving);
    await without.inject({ text: 'look', files });
    expect(canFetchFiles(without)).toBe(false);
    expect(received[0]?.attachments?.map((attachment) => attachment.kind)).toEqual(['image', 'audio']);

    const channel = createRecordingChannel({ capabilities: { files: true } });
    if (!canFetchFiles(channel)) throw new Error('no FetchFilesCapability');
    await channel.start(receiving);
    await channel.inject({ text: 'look', files });
    const [photo, voice] = received[1]?.attachments ?? [];
    if (!photo || !voice) throw new Error('no attachments');
    expect(photo).toMatchObject({ kind: 'image', name: 'photo.jpg', mimeType: 'image/jpeg', size: 5 });
    expect(voice.size).toBe(2);
    const chunks: Uint8Array[] = [];
    for await (const chunk of await channel.fetchAttachment(voice, { maxBytes: 3 })) chunks.push(chunk);
    expect(Buffer.concat(chunks)).toEqual(Buffer.from(data));
    const refused = await channel.fetchAttachment(photo, { maxBytes: 4 }).catch((error: unknown) => error);
    expect(ChannelApiError.isInstance(refused) && refused.status).toBe(413);
    const gone = await channel
      .fetchAttachment({ ...photo, reference: 'file-99' }, { maxBytes: 9 })
      .catch((error: unknown) => error);
    expect(ChannelApiError.isInstance(gone) && gone.status).toBe(404);
    expect(channel.fetches).toEqual([
      { reference: voice.reference, maxBytes: 3 },
      { reference: photo.reference, maxBytes: 4 },
      { reference: 'file-99', maxBytes: 9 },
    ]);
  });

  it('edits only messages it sent', async () => {
    const channel = createRecordingChannel({ capabilities: { edit: true } });
    const address = { channel: 'fake', chatId: 'c' };
    await expect(channel.edit?.(address, 'sent-9', 'x')).rejects.toSatisfy(NotFoundError.isInstance);
  });

  it('fails the requested number of sends with a retryable error, then recovers', async () => {
    const channel = createRecordingChannel();
    channel.failNextSends(2);
    const address = { channel: 'fake', chatId: 'c' };
    const first = await channel.send(address, { text: 'a', format: 'plain' }).catch((error: unknown) => error);
    expect(ChannelApiError.isInstance(first) && first.retryable).toBe(true);
    await expect(channel.send(address, { text: 'a', format: 'plain' })).rejects.toThrow('unavailable');
    await expect(channel.send(address, { text: 'a', format: 'plain' })).resolves.toEqual({ platformMessageId: 'sent-1' });
  });

  it('refuses text over its limit', async () => {
    const channel = createRecordingChannel({ limits: { maxMessageLength: 3 } });
    await expect(channel.send({ channel: 'fake', chatId: 'c' }, { text: 'abcd', format: 'plain' })).rejects.toThrow('exceeds 3');
  });

  it('waitForSends times out with a count', async () => {
    const channel = createRecordingChannel();
    await expect(channel.waitForSends(1, 20)).rejects.toThrow('0 of 1 sends');
  });
});
