// Test support: the channel contract's harness for Discord, driving the adapter through the fake Discord
// of @ngb/testing (real @discordjs/ws and @discordjs/rest, real HTTP and WebSocket on loopback).
import type { ChannelHarness, HarnessSent } from '@ngb/plugin-sdk/testing';
import { createManualClock } from '@ngb/plugin-sdk/testing';
import { createFakeDiscordServer, type FakeDiscordServer } from '@ngb/testing';
import { createDiscordChannel, type DiscordChannel } from '../discord-channel';
import type { DiscordChannelOptions } from '../discord-options';
import { unescapeDiscordText } from '../escape-discord-text';

const suppressEmbeds = 1 << 2;

/** What people see of a message's content: markup and escapes removed. */
function visibleDiscordText(content: string): string {
  return unescapeDiscordText(content.replace(/(?<!\\)(\*\*|~~|\|\||`)/g, ''));
}

/**
 * A markdown table whose Discord rendering (an aligned code block) passes the 2000 characters Discord
 * accepts, while the same text as plain escaped text fits: Discord refuses the first with Invalid Form
 * Body, and the adapter resends it as plain.
 */
const tooLongOnceConverted = [
  '| k | v |',
  '|---|---|',
  `| ${'w'.repeat(200)} | 1 |`,
  ...Array.from({ length: 20 }, () => '| a | b |'),
].join('\n');

/** The harness, with the fake of the case running now. */
export function createDiscordChannelHarness(options: Partial<DiscordChannelOptions> = {}): ChannelHarness & {
  readonly fake: FakeDiscordServer;
  readonly channel: DiscordChannel;
} {
  let fake: FakeDiscordServer | undefined;
  let channel: DiscordChannel | undefined;
  const threads = new Map<string, string>();
  const current = () => {
    if (!fake) throw new Error('[test] call create() first');
    return fake;
  };
  const place = (channelId: string) => {
    const parent = threads.get(channelId);
    return parent === undefined ? { chatId: channelId } : { chatId: parent, threadId: channelId };
  };
  return {
    get fake() {
      return current();
    },
    get channel() {
      if (!channel) throw new Error('[test] call create() first');
      return channel;
    },
    platform: {
      directChatId: '1001',
      groupChatId: '2002',
      replies: true,
      edits: true,
      deletions: true,
      rejectedMarkup: tooLongOnceConverted,
    },
    async create() {
      await fake?.close();
      threads.clear();
      fake = await createFakeDiscordServer();
      channel = createDiscordChannel({ botToken: fake.token, apiUrl: fake.apiUrl, clock: createManualClock(), ...options });
      return channel;
    },
    async injectInbound(input) {
      const server = current();
      if (input.kind === 'edit')
        return void server.injectEdit({ channelId: input.chatId, messageId: input.messageId ?? '', content: input.text });
      if (input.kind === 'delete') return server.injectDelete({ channelId: input.chatId, messageId: input.messageId ?? '' });
      let channelId = input.chatId;
      if (input.threadId !== undefined) {
        if (!threads.has(input.threadId)) server.addChannel({ id: input.threadId, name: input.threadId, parentId: input.chatId });
        threads.set(input.threadId, input.chatId);
        channelId = input.threadId;
      }
      const isBot = input.sender.id === server.bot.id;
      server.injectMessage({
        channelId,
        author: isBot ? server.bot : { id: input.sender.id, username: input.sender.name ?? `user${input.sender.id}` },
        content: input.text,
        ...(input.replyTo === undefined ? {} : { replyTo: input.replyTo }),
        ...(input.attachments
          ? {
              attachments: input.attachments.map(({ name, mimeType, data }) => ({ filename: name, contentType: mimeType, data })),
            }
          : {}),
      });
    },
    async pressButton(input) {
      current().pressButton({
        messageId: input.platformMessageId,
        customId: input.choiceId,
        user: { id: input.sender.id, username: input.sender.name ?? `user${input.sender.id}` },
      });
    },
    async sent(): Promise<HarnessSent> {
      const server = current();
      const sent: HarnessSent = { messages: [], edits: [], deletions: [], typing: [], files: [] };
      for (const message of server.sent) {
        const where = place(message.channelId);
        if (message.files.length > 0) {
          for (const file of message.files) {
            sent.files.push({
              chatId: where.chatId,
              platformMessageId: message.id,
              name: file.filename,
              size: file.size,
              ...(message.content === '' ? {} : { caption: visibleDiscordText(message.content) }),
            });
          }
          continue;
        }
        sent.messages.push({
          ...where,
          platformMessageId: message.id,
          text: visibleDiscordText(message.content),
          format: message.flags & suppressEmbeds ? 'plain' : 'markdown',
          ...(message.replyTo === undefined ? {} : { replyTo: message.replyTo }),
          ...(message.buttons
            ? { buttons: message.buttons.map((button) => ({ id: button.customId, label: button.label })) }
            : {}),
        });
      }
      for (const edit of server.edits) {
        sent.edits.push({
          chatId: place(edit.channelId).chatId,
          platformMessageId: edit.messageId,
          text: visibleDiscordText(edit.content),
          format: edit.flags & suppressEmbeds ? 'plain' : 'markdown',
        });
      }
      for (const deletion of server.deletions)
        sent.deletions.push({ chatId: place(deletion.channelId).chatId, platformMessageId: deletion.messageId });
      for (const typing of server.typing) sent.typing.push(place(typing.channelId));
      return sent;
    },
    async dispose() {
      await fake?.close();
      fake = undefined;
    },
  };
}
