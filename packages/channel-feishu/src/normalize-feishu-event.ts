import type { Attachment, InboundMessage } from '@ngb/plugin-sdk';

const channel = 'feishu';

/** A user id as Feishu events carry it. */
interface FeishuUserId {
  open_id?: string;
  union_id?: string;
  user_id?: string;
}

/** One `@` of a message: `key` is its placeholder in the text (`@_user_1`). */
interface FeishuMention {
  key?: string;
  id?: FeishuUserId;
  name?: string;
}

/** The parts of an `im.message.receive_v1` event read here. */
interface FeishuMessageEvent {
  sender?: { sender_id?: FeishuUserId; sender_type?: string };
  message?: {
    message_id?: string;
    root_id?: string;
    parent_id?: string;
    thread_id?: string;
    create_time?: string;
    chat_id?: string;
    chat_type?: string;
    message_type?: string;
    content?: string;
    mentions?: FeishuMention[];
  };
}

/** What the normalizer needs besides the event. */
export interface FeishuNormalizeContext {
  /** The bot's open_id (from `/open-apis/bot/v3/info`). */
  botOpenId: string | undefined;
  /** The sender's display name, when known. */
  senderName?: string;
  /** The time used when the event has no creation time, epoch ms. */
  now: number;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function parseContent(raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The text of a `post`: its title and paragraphs, `at` elements as `@name`, images as attachments. */
function postText(content: Record<string, unknown>, messageId: string, attachments: Attachment[]): string {
  // A received post is `{ title, content }`; a post as sent may be wrapped in a locale (`zh_cn`, `en_us`).
  const body = Array.isArray(content.content)
    ? content
    : (Object.values(content).find((value) => typeof value === 'object' && value !== null) as
        | Record<string, unknown>
        | undefined);
  if (!body || !Array.isArray(body.content)) return '';
  const lines: string[] = [];
  if (text(body.title) !== '') lines.push(text(body.title));
  for (const paragraph of body.content) {
    if (!Array.isArray(paragraph)) continue;
    let line = '';
    for (const element of paragraph as Array<Record<string, unknown>>) {
      if (typeof element !== 'object' || element === null) continue;
      switch (element.tag) {
        case 'text':
        case 'a':
        case 'md':
        case 'code_block':
          line += text(element.text);
          break;
        case 'at':
          line += `@${text(element.user_name) || text(element.user_id)}`;
          break;
        case 'emotion':
          line += `:${text(element.emoji_type)}:`;
          break;
        case 'img':
          if (text(element.image_key) !== '')
            attachments.push({ kind: 'image', reference: `${messageId}/image/${text(element.image_key)}` });
          break;
        case 'media':
          if (text(element.file_key) !== '')
            attachments.push({ kind: 'video', reference: `${messageId}/file/${text(element.file_key)}` });
          break;
      }
    }
    lines.push(line);
  }
  return lines.join('\n').replace(/\n+$/, '');
}

/** The text and attachments of a message's `content`, by its `message_type`. */
function readContent(messageType: string, content: Record<string, unknown>, messageId: string) {
  const attachments: Attachment[] = [];
  const fileName = text(content.file_name) || undefined;
  switch (messageType) {
    case 'text':
      return { text: text(content.text), attachments };
    case 'post':
      return { text: postText(content, messageId, attachments), attachments };
    case 'image':
      if (text(content.image_key) !== '')
        attachments.push({ kind: 'image', reference: `${messageId}/image/${text(content.image_key)}` });
      return { text: '', attachments };
    case 'file':
    case 'audio':
    case 'media': {
      const kind = messageType === 'file' ? 'file' : messageType === 'audio' ? 'audio' : 'video';
      if (text(content.file_key) !== '')
        attachments.push({
          kind,
          reference: `${messageId}/file/${text(content.file_key)}`,
          ...(fileName ? { name: fileName, mimeType: guessMimeType(fileName) } : {}),
        });
      return { text: '', attachments };
    }
    default:
      return { text: '', attachments };
  }
}

const mimeTypes: Record<string, string> = {
  csv: 'text/csv',
  txt: 'text/plain',
  md: 'text/markdown',
  json: 'application/json',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  zip: 'application/zip',
  mp4: 'video/mp4',
  opus: 'audio/opus',
};

/** Feishu gives a file's name but not its type: the usual type of its extension, or undefined. */
function guessMimeType(name: string): string | undefined {
  const extension = name.includes('.') ? name.split('.').pop()?.toLowerCase() : undefined;
  return extension ? mimeTypes[extension] : undefined;
}

/**
 * Turns the `event` of an `im.message.receive_v1` into an inbound message: `chat_type` p2p is a direct
 * chat; `@_user_N` placeholders become `@name`; `mentionsBot` when a mention's open_id is the bot's;
 * `parent_id` is the message replied to; `root_id` is the thread when the message is in a thread
 * (`thread_id` set); images and files become attachments whose `reference` is
 * `<message_id>/<image|file>/<key>` (the resource download's path). Sender ids are open_ids.
 * @returns undefined for an event without a message id, chat or sender
 */
export function normalizeFeishuMessage(raw: unknown, context: FeishuNormalizeContext): InboundMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const event = raw as FeishuMessageEvent;
  const message = event.message;
  const senderId = text(event.sender?.sender_id?.open_id) || text(event.sender?.sender_id?.user_id);
  const messageId = text(message?.message_id);
  const chatId = text(message?.chat_id);
  if (!message || messageId === '' || chatId === '' || senderId === '') return undefined;
  const read = readContent(text(message.message_type), parseContent(message.content), messageId);
  let body = read.text;
  let mentionsBot = false;
  for (const mention of Array.isArray(message.mentions) ? message.mentions : []) {
    if (context.botOpenId !== undefined && mention.id?.open_id === context.botOpenId) mentionsBot = true;
    const key = text(mention.key);
    if (key !== '') body = body.split(key).join(`@${text(mention.name) || text(mention.id?.open_id)}`);
  }
  const created = Number(message.create_time);
  const threadId = text(message.thread_id) !== '' && text(message.root_id) !== '' ? text(message.root_id) : undefined;
  const parentId = text(message.parent_id);
  return {
    kind: 'message',
    channel,
    chat: { id: chatId, isGroup: message.chat_type !== 'p2p' },
    ...(threadId ? { threadId } : {}),
    platformMessageId: messageId,
    sender: {
      id: senderId,
      ...(context.senderName ? { name: context.senderName } : {}),
      isBot: event.sender?.sender_type !== undefined && event.sender.sender_type !== 'user',
    },
    text: body,
    mentionsBot,
    ...(parentId !== '' ? { replyTo: { id: parentId } } : {}),
    ...(read.attachments.length > 0 ? { attachments: read.attachments } : {}),
    timestamp: Number.isFinite(created) && created > 0 ? created : context.now,
  };
}

/**
 * Turns the `event` of an `im.message.recalled_v1` into a `delete` inbound naming the recalled message.
 * @returns undefined when the event lacks the message or chat id
 */
export function normalizeFeishuRecall(raw: unknown, fallbackTimestamp: number): InboundMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const event = raw as { message_id?: unknown; chat_id?: unknown; recall_time?: unknown; operator_id?: FeishuUserId };
  const messageId = text(event.message_id);
  const chatId = text(event.chat_id);
  if (messageId === '' || chatId === '') return undefined;
  const when = Number(event.recall_time);
  return {
    kind: 'delete',
    channel,
    // The recall event does not say the chat type; a deletion never creates a chat, so this is not stored.
    chat: { id: chatId, isGroup: false },
    platformMessageId: messageId,
    sender: { id: text(event.operator_id?.open_id) || 'unknown' },
    text: '',
    mentionsBot: false,
    timestamp: Number.isFinite(when) && when > 0 ? when : fallbackTimestamp,
  };
}
