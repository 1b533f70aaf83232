import type { Attachment, InboundMessage } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import {
  type TelegramCallbackQuery,
  type TelegramFileField,
  type TelegramMessage,
  type TelegramUpdate,
  type TelegramUser,
  telegramUpdateSchema,
} from './telegram-update-schema';

/** What normalizing needs to know about the bot. */
export interface TelegramNormalizeOptions {
  channel: string;
  /** The bot's user id and username (from getMe). */
  self: { id: number; username?: string };
  /** Report messages of other bots. @default false */
  allowBots?: boolean;
  /** When the update arrived (a button press carries no time of its own), epoch milliseconds. @default Date.now() */
  receivedAt?: number;
}

/** Telegram's account for anonymous group admins; the group in `sender_chat` speaks. */
const anonymousAdminBot = 'GroupAnonymousBot';

const fullName = (person: { first_name?: string; last_name?: string; title?: string; username?: string }) =>
  person.title ?? ([person.first_name, person.last_name].filter(Boolean).join(' ') || person.username);

function kindOfMime(mimeType: string | undefined): Attachment['kind'] {
  if (mimeType?.startsWith('image/')) return 'image';
  if (mimeType?.startsWith('audio/')) return 'audio';
  if (mimeType?.startsWith('video/')) return 'video';
  return 'file';
}

function attachment(file: TelegramFileField, kind: Attachment['kind'], name: string, mimeType?: string): Attachment {
  const type = file.mime_type ?? mimeType;
  return {
    kind,
    name: file.file_name ?? name,
    ...(type === undefined ? {} : { mimeType: type }),
    ...(file.file_size === undefined ? {} : { size: file.file_size }),
    reference: file.file_id,
  };
}

function attachmentsOf(message: TelegramMessage): Attachment[] {
  const found: Attachment[] = [];
  const largest = message.photo?.reduce((best, size) =>
    (size.file_size ?? (size.width ?? 0) * (size.height ?? 0)) >= (best.file_size ?? (best.width ?? 0) * (best.height ?? 0))
      ? size
      : best,
  );
  if (largest) found.push(attachment(largest, 'image', 'photo.jpg', 'image/jpeg'));
  if (message.document) found.push(attachment(message.document, kindOfMime(message.document.mime_type), 'document'));
  if (message.audio) found.push(attachment(message.audio, 'audio', 'audio.mp3'));
  if (message.video) found.push(attachment(message.video, 'video', 'video.mp4'));
  if (message.animation && !message.document) found.push(attachment(message.animation, 'video', 'animation.mp4'));
  if (message.voice) found.push(attachment(message.voice, 'audio', 'voice.ogg', 'audio/ogg'));
  if (message.video_note) found.push(attachment(message.video_note, 'video', 'video-note.mp4', 'video/mp4'));
  return found;
}

function isSelf(user: TelegramUser | undefined, self: TelegramNormalizeOptions['self']): boolean {
  return user?.id === self.id;
}

/** True when the message names the bot: an @mention, a text mention, a `/command@bot`, or a reply to it. */
function mentionsBot(message: TelegramMessage, text: string, self: TelegramNormalizeOptions['self'], replied: boolean): boolean {
  const handle = self.username === undefined ? undefined : `@${self.username.toLowerCase()}`;
  for (const entity of message.entities ?? message.caption_entities ?? []) {
    const written = text.slice(entity.offset, entity.offset + entity.length).toLowerCase();
    if (entity.type === 'mention' && handle !== undefined && written === handle) return true;
    if (entity.type === 'text_mention' && isSelf(entity.user, self)) return true;
    if (entity.type === 'bot_command' && handle !== undefined && written.endsWith(handle)) return true;
  }
  return replied && isSelf(message.reply_to_message?.from, self);
}

/** `/claim@my_bot CODE` → `/claim CODE`: a command addressed to this bot reads as typed in a direct chat. */
function withoutBotSuffix(message: TelegramMessage, text: string, username: string | undefined): string {
  if (username === undefined) return text;
  const command = (message.entities ?? message.caption_entities ?? []).find(
    (entity) => entity.type === 'bot_command' && entity.offset === 0,
  );
  if (!command) return text;
  const written = text.slice(0, command.length);
  const suffix = `@${username}`;
  if (!written.toLowerCase().endsWith(suffix.toLowerCase())) return text;
  return written.slice(0, -suffix.length) + text.slice(command.length);
}

/**
 * A press of an inline keyboard button → a `choice` inbound naming the button's `callback_data`, from
 * the person who pressed it, in the chat of the message holding the keyboard. The press's own id is
 * the platform message id, so a redelivered update is one answer. Presses on no message (inline
 * mode) and without data are not the gateway's.
 */
function normalizeButtonPress(query: TelegramCallbackQuery, options: TelegramNormalizeOptions): InboundMessage | undefined {
  const message = query.message;
  if (!message || query.data === undefined) return undefined;
  if (query.from.is_bot && !options.allowBots) return undefined;
  const label = message.reply_markup?.inline_keyboard?.flat().find((button) => button.callback_data === query.data)?.text;
  const chatName = fullName(message.chat);
  const topic = message.is_topic_message === true && message.message_thread_id !== undefined;
  return {
    kind: 'choice',
    choice: query.data,
    channel: options.channel,
    chat: { id: String(message.chat.id), ...(chatName ? { name: chatName } : {}), isGroup: message.chat.type !== 'private' },
    ...(topic ? { threadId: String(message.message_thread_id) } : {}),
    platformMessageId: `callback:${query.id}`,
    sender: {
      id: String(query.from.id),
      ...(fullName(query.from) ? { name: fullName(query.from) } : {}),
      isBot: query.from.is_bot === true,
    },
    text: label ?? '',
    mentionsBot: false,
    timestamp: options.receivedAt ?? Date.now(),
  };
}

/**
 * Turns a Telegram update into the contract's inbound message: `message` → a new message,
 * `edited_message` → an edit, `callback_query` → a `choice`. Forum topics give the thread (`message_thread_id` of a topic message);
 * a topic's own root is not a reply. Returns undefined for what is not a person's message (other
 * bots unless allowed, service messages without text or files, updates the adapter does not handle).
 */
export function normalizeTelegramUpdate(payload: unknown, options: TelegramNormalizeOptions): InboundMessage | undefined {
  const parsed = v.safeParse(telegramUpdateSchema, payload);
  if (!parsed.success) return undefined;
  const update: TelegramUpdate = parsed.output;
  if (update.callback_query) return normalizeButtonPress(update.callback_query, options);
  const message = update.message ?? update.edited_message;
  const kind = update.message ? 'message' : 'edit';
  if (!message?.from) return undefined;
  const speaksForChat = message.from.username === anonymousAdminBot && message.sender_chat !== undefined;
  if (message.from.is_bot && !speaksForChat && !isSelf(message.from, options.self) && !options.allowBots) return undefined;

  const rawText = message.text ?? message.caption ?? '';
  const attachments = attachmentsOf(message);
  if (kind === 'message' && rawText === '' && attachments.length === 0) return undefined;
  const topic = message.is_topic_message === true && message.message_thread_id !== undefined;
  const reply = message.reply_to_message;
  // In a forum, a message that replies to nothing carries the topic's first message as reply_to_message.
  const replied = reply !== undefined && !(topic && String(reply.message_id) === String(message.message_thread_id));
  const sender = speaksForChat && message.sender_chat ? message.sender_chat : message.from;
  const chatName = fullName(message.chat);

  return {
    ...(kind === 'edit' ? { kind } : {}),
    channel: options.channel,
    chat: { id: String(message.chat.id), ...(chatName ? { name: chatName } : {}), isGroup: message.chat.type !== 'private' },
    ...(topic ? { threadId: String(message.message_thread_id) } : {}),
    platformMessageId: String(message.message_id),
    sender: {
      id: String(sender.id),
      ...(fullName(sender) ? { name: fullName(sender) } : {}),
      isBot: speaksForChat ? false : message.from.is_bot === true,
    },
    text: withoutBotSuffix(message, rawText, options.self.username),
    mentionsBot: mentionsBot(message, rawText, options.self, replied),
    ...(replied && reply
      ? {
          replyTo: {
            id: String(reply.message_id),
            ...(reply.from
              ? { author: { id: String(reply.from.id), ...(fullName(reply.from) ? { name: fullName(reply.from) } : {}) } }
              : {}),
            ...((message.quote?.text ?? reply.text ?? reply.caption) === undefined
              ? {}
              : { text: message.quote?.text ?? reply.text ?? reply.caption }),
          },
        }
      : {}),
    ...(attachments.length > 0 ? { attachments } : {}),
    timestamp: ((kind === 'edit' ? message.edit_date : undefined) ?? message.date) * 1000,
  };
}
