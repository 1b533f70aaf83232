// Test support: the channel contract's harness for DingTalk, driving the adapter through the fake
// DingTalk of @ngb/testing (the real dingtalk-stream client, real HTTP and WebSocket on loopback).
import type { ChannelHarness, HarnessSent } from '@ngb/plugin-sdk/testing';
import { createManualClock } from '@ngb/plugin-sdk/testing';
import { createFakeDingTalkServer, type FakeDingTalkServer } from '@ngb/testing';
import { createDingTalkChannel, type DingTalkChannel } from '../dingtalk-channel';
import type { DingTalkChannelOptions } from '../dingtalk-options';

/** What people see of DingTalk markdown: emphasis and heading markers removed, links as their text. */
function visibleDingTalkText(markdown: string): string {
  return markdown
    .replace(/^#{1,6} /gm, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*\*|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])/g, '');
}

/** Channel options pointing at `fake`. */
export function fakeDingTalkOptions(fake: FakeDingTalkServer): DingTalkChannelOptions {
  return {
    clientId: fake.clientId,
    clientSecret: fake.clientSecret,
    apiBaseUrl: fake.url,
    oapiBaseUrl: fake.url,
    sessionWebhookOrigins: [fake.url],
  };
}

/** The harness, with the fake of the case running now. */
export function createDingTalkChannelHarness(options: Partial<DingTalkChannelOptions> = {}): ChannelHarness & {
  readonly fake: FakeDingTalkServer;
  readonly channel: DingTalkChannel;
} {
  let fake: FakeDingTalkServer | undefined;
  let channel: DingTalkChannel | undefined;
  const current = () => {
    if (!fake) throw new Error('[test] call create() first');
    return fake;
  };
  return {
    get fake() {
      return current();
    },
    get channel() {
      if (!channel) throw new Error('[test] call create() first');
      return channel;
    },
    platform: { directChatId: 'staff1001', groupChatId: 'cid2002', echoesOwnMessages: false },
    async create() {
      await fake?.close();
      fake = await createFakeDingTalkServer();
      channel = createDingTalkChannel({ ...fakeDingTalkOptions(fake), clock: createManualClock(), ...options });
      return channel;
    },
    async injectInbound(input) {
      const server = current();
      const file = input.attachments?.[0];
      server.injectMessage({
        ...(input.isGroup ? { groupId: input.chatId } : {}),
        senderId: input.sender.id,
        senderStaffId: input.isGroup ? `staff${input.sender.id}` : input.chatId,
        senderNick: input.sender.name ?? `user${input.sender.id}`,
        text: input.text,
        ...(file ? { file: { name: file.name, data: file.data, picture: file.mimeType.startsWith('image/') } } : {}),
      });
    },
    async sent(): Promise<HarnessSent> {
      const server = current();
      const sent: HarnessSent = { messages: [], edits: [], deletions: [], typing: [], files: [] };
      for (let index = 0; index < server.sent.length; index += 1) {
        const message = server.sent[index];
        if (!message) continue;
        if (message.file) {
          // A file message has no caption in DingTalk: the adapter sends it as the next text of the chat.
          const next = server.sent[index + 1];
          const caption = next && !next.file && next.chatId === message.chatId && next.format === 'text' ? next : undefined;
          if (caption) index += 1;
          sent.files.push({
            chatId: message.chatId,
            platformMessageId: message.id,
            name: message.file.fileName,
            size: message.file.upload.data.length,
            ...(caption ? { caption: caption.text } : {}),
          });
          continue;
        }
        sent.messages.push({
          chatId: message.chatId,
          platformMessageId: message.id,
          text: message.format === 'markdown' ? visibleDingTalkText(message.text) : message.text,
          format: message.format === 'markdown' ? 'markdown' : 'plain',
        });
      }
      for (const recall of server.recalls) sent.deletions.push({ chatId: recall.chatId, platformMessageId: recall.id });
      return sent;
    },
    async dispose() {
      await fake?.close();
      fake = undefined;
    },
  };
}
