import { type FakeTelegramChats, type FakeTelegramUpload, type FakeTelegramUser, fileFields } from './telegram-fake-chats';

/** A message as a person sends it to the fake platform. */
export interface FakeTelegramMessageInput {
  /** The chat's id (Telegram's are numbers; groups are negative on the real platform). */
  chatId: number | string;
  /** The chat's kind. @default 'private', or 'supergroup' when `threadId` is set */
  chatType?: 'private' | 'group' | 'supergroup';
  /** A group's title. @default 'Test group' for groups */
  chatTitle?: string;
  /** Who sends it. @default user 77, Ann */
  from?: Partial<FakeTelegramUser> & { id: number };
  /** The text (a caption when there are files). `@username` mentions and a leading `/command` get their entities. */
  text?: string;
  /** A forum topic's id (`message_thread_id`); the chat becomes a forum supergroup. */
  threadId?: number | string;
  /** The id of a message of the same chat this one replies to. */
  replyTo?: number | string;
  /** Files attached (Telegram carries one per message; the first is used). */
  files?: FakeTelegramUpload[];
}

/** An edit of a message a person posted. */
export interface FakeTelegramEditInput {
  chatId: number | string;
  messageId: number | string;
  text: string;
  from?: Partial<FakeTelegramUser> & { id: number };
}

const defaultUser: FakeTelegramUser = { id: 77, is_bot: false, first_name: 'Ann' };

function user(from: FakeTelegramMessageInput['from']): FakeTelegramUser {
  if (from === undefined) return defaultUser;
  return { is_bot: false, first_name: `User ${from.id}`, ...from };
}

/** The entities Telegram marks in a text: `@username` mentions and a leading bot command (UTF-16 offsets). */
function entitiesOf(text: string): Array<Record<string, unknown>> {
  const entities: Array<Record<string, unknown>> = [];
  const command = /^\/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{5,32})?/.exec(text);
  if (command) entities.push({ type: 'bot_command', offset: 0, length: command[0].length });
  for (const match of text.matchAll(/(^|[^\w/])(@[A-Za-z0-9_]{5,32})/g)) {
    const offset = (match.index ?? 0) + (match[1] ?? '').length;
    entities.push({ type: 'mention', offset, length: (match[2] ?? '').length });
  }
  return entities;
}

/** Builds the `message` of an update for `input`, allocating its id and remembering it for replies and edits. */
export function buildFakeMessage(
  chats: FakeTelegramChats,
  input: FakeTelegramMessageInput,
  now: number,
): Record<string, unknown> {
  const type = input.chatType ?? (input.threadId === undefined ? 'private' : 'supergroup');
  const from = user(input.from);
  const chat =
    type === 'private'
      ? chats.chat(input.chatId, { type, first_name: from.first_name, ...(from.username ? { username: from.username } : {}) })
      : chats.chat(input.chatId, {
          type,
          title: input.chatTitle ?? 'Test group',
          ...(input.threadId === undefined ? {} : { is_forum: true }),
        });
  const replied = input.replyTo === undefined ? undefined : chats.message(chat.id, input.replyTo);
  if (input.replyTo !== undefined && !replied)
    throw new Error(`[@ngb/testing] no message ${input.replyTo} in chat ${chat.id} to reply to`);
  const text = input.text ?? '';
  const upload = input.files?.[0];
  const entities = entitiesOf(text);
  const content: Record<string, unknown> = upload
    ? {
        ...fileFields(chats.addFile(upload, upload.as === 'photo' ? 'photos' : 'documents'), upload.as),
        ...(text === '' ? {} : { caption: text }),
        ...(entities.length > 0 ? { caption_entities: entities } : {}),
      }
    : { text, ...(entities.length > 0 ? { entities } : {}) };
  const message: Record<string, unknown> = {
    message_id: chats.allocateMessageId(chat.id),
    from,
    chat,
    date: Math.floor(now / 1000),
    ...(input.threadId === undefined ? {} : { message_thread_id: input.threadId, is_topic_message: true }),
    ...(replied ? { reply_to_message: replied } : {}),
    ...content,
  };
  chats.remember(message);
  return message;
}

/** Builds the `edited_message` of an update: the remembered message with its new text and `edit_date`. */
export function buildFakeEdit(chats: FakeTelegramChats, input: FakeTelegramEditInput, now: number): Record<string, unknown> {
  const message = chats.message(input.chatId, input.messageId);
  if (!message) throw new Error(`[@ngb/testing] no message ${input.messageId} in chat ${input.chatId} to edit`);
  const entities = entitiesOf(input.text);
  const textField = 'text' in message ? { text: input.text } : { caption: input.text };
  const edited: Record<string, unknown> = {
    ...message,
    ...(input.from === undefined ? {} : { from: user(input.from) }),
    ...textField,
    ...(entities.length > 0 ? { entities } : {}),
    edit_date: Math.floor(now / 1000),
  };
  chats.remember(edited);
  return edited;
}
