import {
  type Address,
  type MessageFormat,
  NotFoundError,
  type OutboundFile,
  type OutboundMessage,
  type SendReceipt,
  sendWithPlainFallback,
} from '@ngb/plugin-sdk';
import { Routes } from 'discord-api-types/v10';
import { convertToDiscordMarkdown } from './convert-to-discord-markdown';
import { discordButtonRows } from './discord-buttons';
import type { REST } from './discord-rest';
import { escapeDiscordText } from './escape-discord-text';
import { isDiscordMarkupRejected, isDiscordUnknownMessage, mapDiscordError } from './map-discord-error';

// Discord has no parse mode: `plain` is escaped text, and carries SUPPRESS_EMBEDS so it shows exactly
// as written (no link previews either). That flag is also how a reader of the wire tells the two apart.
const suppressEmbeds = 1 << 2;
const discordLimit = 2000;
// Never ping @everyone, roles or users because a model wrote their mention.
const allowedMentions = { parse: [], replied_user: false };

/** Where an address posts: a thread's own channel when it names one, else the chat's channel. */
function targetChannel(address: Address): string {
  return address.threadId ?? address.chatId;
}

function content(text: string, format: MessageFormat): string {
  if (format === 'markdown') return convertToDiscordMarkdown(text);
  const escaped = escapeDiscordText(text);
  // Escapes lengthen text; past Discord's limit, the text as written beats a refused message.
  return escaped.length <= discordLimit ? escaped : text;
}

function body(text: string, format: MessageFormat): Record<string, unknown> {
  return { content: content(text, format), flags: format === 'plain' ? suppressEmbeds : 0, allowed_mentions: allowedMentions };
}

function permissionFor(address: Address, files = false): string {
  if (files) return 'AttachFiles';
  return address.threadId === undefined ? 'SendMessages' : 'SendMessagesInThreads';
}

/** The outbound calls of the adapter, over discord.js's REST client (`@discordjs/rest`). */
export function createDiscordOutbound(rest: () => REST) {
  const call = async <T>(run: () => Promise<unknown>, permission: string): Promise<T> => {
    try {
      return (await run()) as T;
    } catch (error) {
      throw mapDiscordError(error, { permission });
    }
  };

  return {
    async send(address: Address, message: OutboundMessage): Promise<SendReceipt> {
      const route = Routes.channelMessages(targetChannel(address));
      const reference =
        message.replyTo === undefined ? {} : { message_reference: { message_id: message.replyTo, fail_if_not_exists: false } };
      const components =
        message.choices === undefined || message.choices.length === 0 ? {} : { components: discordButtonRows(message.choices) };
      const posted = await sendWithPlainFallback(
        message.format,
        (format) =>
          call<{ id: string }>(
            () => rest().post(route, { body: { ...body(message.text, format), ...reference, ...components } }),
            permissionFor(address),
          ),
        isDiscordMarkupRejected,
      );
      return { platformMessageId: posted.id };
    },

    async edit(address: Address, platformMessageId: string, text: string, format: MessageFormat = 'plain'): Promise<void> {
      const route = Routes.channelMessage(targetChannel(address), platformMessageId);
      try {
        await sendWithPlainFallback(
          format,
          (as) => call(() => rest().patch(route, { body: body(text, as) }), permissionFor(address)),
          isDiscordMarkupRejected,
        );
      } catch (error) {
        if (isDiscordUnknownMessage(error)) throw new NotFoundError('message', platformMessageId, { cause: error });
        throw error;
      }
    },

    async delete(address: Address, platformMessageId: string): Promise<void> {
      try {
        await call(() => rest().delete(Routes.channelMessage(targetChannel(address), platformMessageId)), 'ManageMessages');
      } catch (error) {
        if (!isDiscordUnknownMessage(error)) throw error;
      }
    },

    async sendTyping(address: Address): Promise<void> {
      await call(() => rest().post(Routes.channelTyping(targetChannel(address))), permissionFor(address));
    },

    async sendFile(address: Address, file: OutboundFile): Promise<SendReceipt> {
      const caption = file.caption === undefined || file.caption === '' ? {} : body(file.caption, 'plain');
      const posted = await call<{ id: string }>(
        () =>
          rest().post(Routes.channelMessages(targetChannel(address)), {
            body: {
              ...caption,
              flags: suppressEmbeds,
              allowed_mentions: allowedMentions,
              attachments: [{ id: 0, filename: file.name }],
            },
            files: [{ name: file.name, data: Buffer.from(file.data), ...(file.mimeType ? { contentType: file.mimeType } : {}) }],
          }),
        permissionFor(address, true),
      );
      return { platformMessageId: posted.id };
    },
  };
}
