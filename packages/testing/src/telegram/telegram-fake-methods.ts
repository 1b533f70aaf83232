import { parseMarkdownV2 } from './markdown-v2';
import { type createFakeTelegramCallbacks, type FakeTelegramButton, readInlineKeyboard } from './telegram-fake-buttons';
import { type FakeTelegramChats, type FakeTelegramUser, fileFields } from './telegram-fake-chats';
import { badRequest, type FakeTelegramParam, type FakeTelegramPart, optionalInteger, stringParam } from './telegram-fake-http';

/** One thing the adapter did on the platform, as a person in the chat would see it. */
export interface FakeTelegramSent {
  method:
    | 'sendMessage'
    | 'editMessageText'
    | 'deleteMessage'
    | 'sendChatAction'
    | 'sendDocument'
    | 'sendPhoto'
    | 'answerCallbackQuery';
  chatId: string;
  threadId?: string;
  messageId?: number;
  /** The text people see (markup removed); for a file, its caption. */
  text?: string;
  /** The text as sent, markup included. */
  raw?: string;
  parseMode?: string;
  replyTo?: number;
  action?: string;
  file?: { name: string; size: number; mimeType: string };
  /** The inline keyboard under a sent message, buttons in order. */
  buttons?: FakeTelegramButton[];
  /** For `answerCallbackQuery`: the query answered. */
  callbackQueryId?: string;
}

type Params = Record<string, FakeTelegramParam>;

// The text as sent, markup included, of each message: an edit to the same text is "not modified".
const rawTexts = new WeakMap<object, string>();

/** What the methods need from the server. */
export interface FakeTelegramMethodContext {
  bot: FakeTelegramUser;
  chats: FakeTelegramChats;
  sent: FakeTelegramSent[];
  now(): number;
  /** Substrings that make a MarkdownV2 text be refused, as if its markup were wrong. */
  rejectedMarkup: string[];
  maxMessageLength: number;
  /** Button presses waiting for `answerCallbackQuery`. */
  callbacks: ReturnType<typeof createFakeTelegramCallbacks>;
}

function visibleText(context: FakeTelegramMethodContext, raw: string, parseMode: unknown): string {
  if (parseMode === undefined || parseMode === null || parseMode === '') return raw;
  if (parseMode !== 'MarkdownV2') throw badRequest(`unsupported parse_mode ${String(parseMode)} in this fake`);
  if (context.rejectedMarkup.some((part) => raw.includes(part)))
    throw badRequest("can't parse entities: Can't find end of the entity starting at byte offset 0");
  const parsed = parseMarkdownV2(raw);
  if (!parsed.ok) throw badRequest(`can't parse entities: ${parsed.error}`);
  return parsed.text;
}

function threadOf(params: Params): string | undefined {
  const value = params.message_thread_id;
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

function replyOf(params: Params): number | undefined {
  const parameters = params.reply_parameters;
  if (typeof parameters === 'object' && parameters !== null && 'message_id' in parameters)
    return Number((parameters as { message_id: unknown }).message_id);
  return optionalInteger(params, 'reply_to_message_id');
}

function outgoing(context: FakeTelegramMethodContext, params: Params, fields: Record<string, unknown>) {
  const chat = context.chats.chat(stringParam(params, 'chat_id'));
  const threadId = threadOf(params);
  const replyTo = replyOf(params);
  const replied = replyTo === undefined ? undefined : context.chats.message(chat.id, replyTo);
  const parameters = params.reply_parameters as { allow_sending_without_reply?: unknown } | undefined;
  if (replyTo !== undefined && !replied && parameters?.allow_sending_without_reply !== true)
    throw badRequest('message to be replied not found');
  const message: Record<string, unknown> = {
    message_id: context.chats.allocateMessageId(chat.id),
    from: context.bot,
    chat,
    date: Math.floor(context.now() / 1000),
    ...(threadId === undefined ? {} : { message_thread_id: params.message_thread_id, is_topic_message: true }),
    ...(replied ? { reply_to_message: replied } : {}),
    ...fields,
  };
  context.chats.remember(message);
  return { message, chatId: String(chat.id), threadId, replyTo };
}

function sendMessage(context: FakeTelegramMethodContext, params: Params) {
  const raw = typeof params.text === 'string' ? params.text : '';
  if (raw === '') throw badRequest('message text is empty');
  const text = visibleText(context, raw, params.parse_mode);
  if (text.length > context.maxMessageLength) throw badRequest('message is too long');
  const buttons = readInlineKeyboard(params.reply_markup);
  const { message, chatId, threadId, replyTo } = outgoing(context, params, {
    text,
    ...(buttons
      ? { reply_markup: { inline_keyboard: buttons.map((button) => [{ text: button.text, callback_data: button.data }]) } }
      : {}),
  });
  rawTexts.set(message, raw);
  context.sent.push({
    method: 'sendMessage',
    chatId,
    messageId: message.message_id as number,
    text,
    raw,
    ...(typeof params.parse_mode === 'string' ? { parseMode: params.parse_mode } : {}),
    ...(threadId === undefined ? {} : { threadId }),
    ...(replyTo === undefined ? {} : { replyTo }),
    ...(buttons ? { buttons } : {}),
  });
  return message;
}

function editMessageText(context: FakeTelegramMethodContext, params: Params) {
  const chatId = stringParam(params, 'chat_id');
  const messageId = optionalInteger(params, 'message_id');
  const message = messageId === undefined ? undefined : context.chats.message(chatId, messageId);
  if (!message || (message.from as FakeTelegramUser).id !== context.bot.id) throw badRequest('message to edit not found');
  const raw = typeof params.text === 'string' ? params.text : '';
  if (raw === '') throw badRequest('message text is empty');
  const text = visibleText(context, raw, params.parse_mode);
  if (text.length > context.maxMessageLength) throw badRequest('message is too long');
  if (message.text === text && rawTexts.get(message) === raw)
    throw badRequest(
      'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    );
  Object.assign(message, { text, edit_date: Math.floor(context.now() / 1000) });
  rawTexts.set(message, raw);
  context.sent.push({
    method: 'editMessageText',
    chatId: String((message.chat as { id: number }).id),
    messageId,
    text,
    raw,
    ...(typeof params.parse_mode === 'string' ? { parseMode: params.parse_mode } : {}),
  });
  return message;
}

function sendFile(context: FakeTelegramMethodContext, params: Params, method: 'sendDocument' | 'sendPhoto') {
  const field = method === 'sendPhoto' ? 'photo' : 'document';
  const part = params[field] as FakeTelegramPart | undefined;
  if (typeof part !== 'object' || part === null || !('data' in part)) throw badRequest(`there is no ${field} in the request`);
  const caption = typeof params.caption === 'string' ? params.caption : undefined;
  if (caption !== undefined && caption.length > 1024) throw badRequest('message caption is too long');
  const file = context.chats.addFile(
    { name: part.name, mimeType: part.mimeType || 'application/octet-stream', data: part.data },
    method === 'sendPhoto' ? 'photos' : 'documents',
  );
  const { message, chatId, threadId, replyTo } = outgoing(context, params, {
    ...fileFields(file, method === 'sendPhoto' ? 'photo' : 'document'),
    ...(caption === undefined ? {} : { caption }),
  });
  context.sent.push({
    method,
    chatId,
    messageId: message.message_id as number,
    file: { name: part.name, size: part.size, mimeType: part.mimeType },
    ...(caption === undefined ? {} : { text: caption, raw: caption }),
    ...(threadId === undefined ? {} : { threadId }),
    ...(replyTo === undefined ? {} : { replyTo }),
  });
  return message;
}

/** The Bot API methods the fake answers (other than getUpdates and the webhook ones), by name. */
export const fakeTelegramMethods: Record<string, (context: FakeTelegramMethodContext, params: Params) => unknown> = {
  getMe: (context) => ({
    ...context.bot,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
  }),
  sendMessage,
  editMessageText,
  deleteMessage(context, params) {
    const chatId = stringParam(params, 'chat_id');
    const messageId = optionalInteger(params, 'message_id');
    if (messageId === undefined || !context.chats.forget(chatId, messageId)) throw badRequest('message to delete not found');
    context.sent.push({ method: 'deleteMessage', chatId: String(Number(chatId)), messageId });
    return true;
  },
  sendChatAction(context, params) {
    const chatId = String(context.chats.chat(stringParam(params, 'chat_id')).id);
    const threadId = threadOf(params);
    context.sent.push({
      method: 'sendChatAction',
      chatId,
      action: stringParam(params, 'action'),
      ...(threadId === undefined ? {} : { threadId }),
    });
    return true;
  },
  answerCallbackQuery(context, params) {
    const id = stringParam(params, 'callback_query_id');
    context.callbacks.answer(id);
    context.sent.push({
      method: 'answerCallbackQuery',
      chatId: '',
      callbackQueryId: id,
      ...(typeof params.text === 'string' ? { text: params.text } : {}),
    });
    return true;
  },
  sendDocument: (context, params) => sendFile(context, params, 'sendDocument'),
  sendPhoto: (context, params) => sendFile(context, params, 'sendPhoto'),
  getFile(context, params) {
    const file = context.chats.file(stringParam(params, 'file_id'));
    if (!file) throw badRequest('invalid file_id');
    return {
      file_id: file.file_id,
      file_unique_id: file.file_unique_id,
      file_size: file.announcedSize,
      file_path: file.file_path,
    };
  },
};
