// Test support: the channel contract's harness for QQ, driving the adapter through the fake OneBot v11
// implementation of @ngb/testing (a real WebSocket on loopback).
import type { MessageFormat } from '@ngb/plugin-sdk';
import type { ChannelHarness, HarnessSent } from '@ngb/plugin-sdk/testing';
import { createManualClock } from '@ngb/plugin-sdk/testing';
import { createFakeQQServer, type FakeQQSegment, type FakeQQServer } from '@ngb/testing';
import { createQQChannel, type QQChannel } from '../qq-channel';
import type { QQChannelOptions } from '../qq-options';

/**
 * The harness, with the fake of the case running now. QQ shows every message as plain text, so the
 * platform cannot tell which format was asked: the harness notes the format of each `send` (the real
 * `send` runs unchanged) to report it as the contract asks.
 */
export function createQQChannelHarness(options: Partial<QQChannelOptions> = {}): ChannelHarness & {
  readonly fake: FakeQQServer;
} {
  let fake: FakeQQServer | undefined;
  const formats = new Map<string, MessageFormat>();
  const current = () => {
    if (!fake) throw new Error('[test] call create() first');
    return fake;
  };
  return {
    get fake() {
      return current();
    },
    platform: {
      // A private chat is named after the other person: the contract's person is 77.
      directChatId: 'private:77',
      groupChatId: 'group:2002',
      replies: true,
      deletions: true,
    },
    async create() {
      await fake?.close();
      formats.clear();
      fake = await createFakeQQServer();
      const channel: QQChannel = createQQChannel({
        url: fake.url,
        accessToken: fake.accessToken,
        clock: createManualClock(),
        ...options,
      });
      return new Proxy(channel, {
        get(target, key, receiver) {
          if (key !== 'send') return Reflect.get(target, key, receiver);
          const send: QQChannel['send'] = async (address, message) => {
            const receipt = await target.send(address, message);
            formats.set(receipt.platformMessageId, message.format);
            return receipt;
          };
          return send;
        },
      });
    },
    async injectInbound(input) {
      const server = current();
      const userId = Number(input.sender.id);
      if (input.kind === 'delete') return server.recall({ chatId: input.chatId, messageId: Number(input.messageId), userId });
      const segments: FakeQQSegment[] = [];
      if (input.replyTo !== undefined) segments.push({ type: 'reply', data: { id: input.replyTo } });
      if (input.text !== '') segments.push({ type: 'text', data: { text: input.text } });
      for (const file of input.attachments ?? []) {
        const url = server.hostFile(file.name, file.data);
        segments.push({
          type: file.mimeType.startsWith('image/') ? 'image' : 'file',
          data: { file: file.name, name: file.name, file_id: url, file_size: String(file.data.length), url },
        });
      }
      server.injectMessage({
        chatId: input.chatId,
        userId,
        ...(input.sender.name === undefined ? {} : { nickname: input.sender.name }),
        message: segments,
      });
    },
    async sent(): Promise<HarnessSent> {
      const server = current();
      const sent: HarnessSent = { messages: [], edits: [], deletions: [], typing: [], files: [] };
      // Walk the successful actions in order: a text message right before an upload to the same chat is
      // that file's caption (QQ has no caption on uploads; the adapter sends it first).
      let messageIndex = 0;
      let uploadIndex = 0;
      for (const action of server.actions) {
        if (action.retcode !== 0) continue;
        if (action.action === 'send_private_msg' || action.action === 'send_group_msg') {
          const message = server.sent[messageIndex++];
          if (!message) continue;
          const platformMessageId = String(message.messageId);
          if (message.images.length > 0) {
            for (const image of message.images)
              sent.files.push({
                chatId: message.chatId,
                platformMessageId,
                name: image.name ?? 'image',
                size: image.size,
                ...(message.text === '' ? {} : { caption: message.text }),
              });
            continue;
          }
          sent.messages.push({
            chatId: message.chatId,
            platformMessageId,
            text: message.text,
            format: formats.get(platformMessageId) ?? 'plain',
            ...(message.replyTo === undefined ? {} : { replyTo: message.replyTo }),
          });
        } else if (action.action === 'upload_private_file' || action.action === 'upload_group_file') {
          const upload = server.uploads[uploadIndex++];
          if (!upload) continue;
          const previous = sent.messages.at(-1);
          const caption =
            previous && previous.chatId === upload.chatId && !formats.has(previous.platformMessageId)
              ? sent.messages.pop()?.text
              : undefined;
          sent.files.push({
            chatId: upload.chatId,
            platformMessageId: `file:${upload.fileId}`,
            name: upload.name,
            size: upload.size,
            ...(caption === undefined ? {} : { caption }),
          });
        }
      }
      for (const deletion of server.deletions)
        sent.deletions.push({ chatId: deletion.chatId, platformMessageId: String(deletion.messageId) });
      return sent;
    },
    async dispose() {
      await fake?.close();
      fake = undefined;
    },
  };
}
