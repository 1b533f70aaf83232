import type { Attachment, InboundMessage } from '@ngb/plugin-sdk';
import { messageSegments, type OneBotSegment } from './onebot-segments';

/** What normalizing needs to know besides the event. */
export interface QQNormalizeContext {
  /** The bot's QQ number. */
  selfId: string;
  /** True when the bot sent the message with this id (a reply to it mentions the bot). */
  sentByBot(messageId: string): boolean;
  /** A message seen before in the chat, to name a reply's author and text. */
  recall(chatId: string, messageId: string): { author: { id: string; name?: string }; text: string } | undefined;
  /** The time to give an event without its own. */
  now(): number;
}

const asId = (value: unknown): string | undefined =>
  typeof value === 'number' && Number.isFinite(value)
    ? String(value)
    : typeof value === 'string' && value !== ''
      ? value
      : undefined;
const asText = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

const mimeTypes: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  txt: 'text/plain',
  csv: 'text/csv',
  md: 'text/markdown',
  json: 'application/json',
  pdf: 'application/pdf',
  zip: 'application/zip',
  mp3: 'audio/mpeg',
  amr: 'audio/amr',
  silk: 'audio/silk',
  mp4: 'video/mp4',
};

function mimeOf(name: string | undefined): string | undefined {
  const extension = name?.split('.').at(-1)?.toLowerCase();
  return extension === undefined ? undefined : mimeTypes[extension];
}

/**
 * The chat id of an event: `group:<group_id>`, or `private:<the other person's QQ number>` (the sender's,
 * or `target_id` for a message the bot's own account sent from another device).
 */
function qqChatId(event: Record<string, unknown>, selfId: string): string | undefined {
  if (event.message_type === 'group' || event.notice_type === 'group_recall') {
    const group = asId(event.group_id);
    return group === undefined ? undefined : `group:${group}`;
  }
  const user = asId(event.user_id);
  const peer = user === selfId ? asId(event.target_id) : user;
  return peer === undefined ? undefined : `private:${peer}`;
}

function attachmentOf(segment: OneBotSegment): Attachment | undefined {
  const data = segment.data;
  const url = asText(data.url);
  if (url === undefined) return undefined;
  const name = asText(data.name) ?? asText(data.file);
  const size = Number(data.file_size ?? data.size);
  const kind =
    segment.type === 'image' ? 'image' : segment.type === 'record' ? 'audio' : segment.type === 'video' ? 'video' : 'file';
  const mimeType = mimeOf(name) ?? (kind === 'image' ? 'image/jpeg' : undefined);
  return {
    kind,
    ...(name === undefined ? {} : { name }),
    ...(mimeType === undefined ? {} : { mimeType }),
    ...(Number.isFinite(size) && size > 0 ? { size } : {}),
    reference: url,
  };
}

const placeholders: Record<string, string> = {
  image: '[image]',
  record: '[voice]',
  video: '[video]',
  file: '[file]',
  face: '[face]',
  mface: '[sticker]',
  dice: '[dice]',
  rps: '[rock-paper-scissors]',
  poke: '[poke]',
  share: '[link]',
  music: '[music]',
  location: '[location]',
  contact: '[contact]',
  json: '[card]',
  xml: '[card]',
  forward: '[forwarded messages]',
  markdown: '[markdown]',
};

/**
 * A OneBot v11 event → the inbound message it tells, or undefined for what the core does not take
 * (meta events, other notices, `message_sent` echoes of the bot's own sends, malformed events).
 * Chat ids are `private:<user_id>` and `group:<group_id>`; the platform message id is `message_id`.
 */
export function normalizeQQEvent(event: Record<string, unknown>, context: QQNormalizeContext): InboundMessage | undefined {
  const timestamp = typeof event.time === 'number' ? event.time * 1_000 : Number.NaN;
  if (event.post_type === 'notice' && (event.notice_type === 'group_recall' || event.notice_type === 'friend_recall')) {
    const chatId = qqChatId(event, context.selfId);
    const messageId = asId(event.message_id);
    const author = asId(event.user_id);
    if (chatId === undefined || messageId === undefined || author === undefined) return undefined;
    return {
      kind: 'delete',
      channel: 'qq',
      chat: { id: chatId, isGroup: chatId.startsWith('group:') },
      platformMessageId: messageId,
      sender: { id: asId(event.operator_id) ?? author },
      text: '',
      mentionsBot: false,
      timestamp: Number.isFinite(timestamp) ? timestamp : context.now(),
    };
  }
  if (event.post_type !== 'message') return undefined;
  if (event.message_type !== 'private' && event.message_type !== 'group') return undefined;
  const chatId = qqChatId(event, context.selfId);
  const messageId = asId(event.message_id);
  const userId = asId(event.user_id);
  if (chatId === undefined || messageId === undefined || userId === undefined) return undefined;
  const sender = (typeof event.sender === 'object' && event.sender !== null ? event.sender : {}) as Record<string, unknown>;
  const senderName = asText(sender.card) ?? asText(sender.nickname);

  let text = '';
  let mentionsBot = false;
  let replyId: string | undefined;
  const attachments: Attachment[] = [];
  for (const segment of messageSegments(event.message)) {
    const data = segment.data;
    switch (segment.type) {
      case 'text':
        text += typeof data.text === 'string' ? data.text : '';
        break;
      case 'at': {
        const qq = asId(data.qq);
        if (qq === context.selfId) mentionsBot = true;
        text += qq === 'all' ? '@all' : `@${asText(data.name) ?? qq ?? ''}`;
        break;
      }
      case 'reply':
        replyId = asId(data.id);
        break;
      case 'face':
        text += `[face${asId(data.id) === undefined ? '' : ` ${asId(data.id)}`}]`;
        break;
      default: {
        const attachment = ['image', 'record', 'video', 'file'].includes(segment.type) ? attachmentOf(segment) : undefined;
        if (attachment) attachments.push(attachment);
        // A file or image keeps no placeholder in the text when it is attached: the attachment says it.
        if (!attachment || segment.type !== 'file') text += placeholders[segment.type] ?? `[${segment.type}]`;
      }
    }
  }
  text = text.replace(/^\s+/, '');

  let replyTo: InboundMessage['replyTo'];
  if (replyId !== undefined) {
    if (context.sentByBot(replyId)) mentionsBot = true;
    const known = context.recall(chatId, replyId);
    replyTo = known ? { id: replyId, author: known.author, text: known.text } : { id: replyId };
    if (known?.author.id === context.selfId) mentionsBot = true;
  }
  return {
    channel: 'qq',
    chat: {
      id: chatId,
      isGroup: chatId.startsWith('group:'),
      ...(chatId.startsWith('private:') && senderName !== undefined && userId !== context.selfId ? { name: senderName } : {}),
      ...(chatId.startsWith('group:') && asText(event.group_name) !== undefined ? { name: asText(event.group_name) } : {}),
    },
    platformMessageId: messageId,
    sender: { id: userId, ...(senderName === undefined ? {} : { name: senderName }) },
    text,
    mentionsBot,
    ...(replyTo === undefined ? {} : { replyTo }),
    ...(attachments.length > 0 ? { attachments } : {}),
    timestamp: Number.isFinite(timestamp) ? timestamp : context.now(),
  };
}
