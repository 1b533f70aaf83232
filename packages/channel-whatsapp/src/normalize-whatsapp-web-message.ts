import type { Attachment, InboundMessage } from '@ngb/plugin-sdk';
import type { proto, WAMessage, WAMessageKey } from 'baileys';

/** The bot's own ids (see {@link whatsAppUserId}): its phone number and its LID. */
export interface WhatsAppWebSelf {
  id: string;
  lid?: string;
}

/** `15550001111:12@s.whatsapp.net` → `15550001111@s.whatsapp.net` (a device suffix is not part of the user). */
function bareJid(jid: string): string {
  return jid.replace(/:\d+@/, '@');
}

/**
 * The id ngb uses for a WhatsApp user or chat: a phone JID becomes its number (`15550001111`, the same id
 * the Cloud API's `wa_id` gives), a LID (`…@lid`) and a group (`…@g.us`) stay whole, device suffixes go.
 */
export function whatsAppUserId(jid: string): string {
  const bare = bareJid(jid);
  return bare.endsWith('@s.whatsapp.net') ? bare.slice(0, -'@s.whatsapp.net'.length) : bare;
}

/** The JID Baileys sends to for an id of {@link whatsAppUserId}. */
export function whatsAppJid(id: string): string {
  return id.includes('@') ? id : `${id}@s.whatsapp.net`;
}

/** Ephemeral, view-once and captioned-document wrappers hold the real message inside. */
function unwrap(message: proto.IMessage | null | undefined): proto.IMessage | undefined {
  let current = message ?? undefined;
  for (let depth = 0; current && depth < 4; depth += 1) {
    const inner =
      current.ephemeralMessage?.message ??
      current.viewOnceMessage?.message ??
      current.viewOnceMessageV2?.message ??
      current.documentWithCaptionMessage?.message;
    if (!inner) break;
    current = inner;
  }
  return current;
}

type MediaMessage = proto.Message.IImageMessage &
  proto.Message.IDocumentMessage &
  proto.Message.IVideoMessage &
  proto.Message.IAudioMessage;

const media: Array<[keyof proto.IMessage, Attachment['kind']]> = [
  ['imageMessage', 'image'],
  ['stickerMessage', 'image'],
  ['videoMessage', 'video'],
  ['audioMessage', 'audio'],
  ['documentMessage', 'file'],
];

/** The text of a message as people read it (captions included). */
function textOf(content: proto.IMessage): string {
  return (
    content.conversation ??
    content.extendedTextMessage?.text ??
    content.imageMessage?.caption ??
    content.videoMessage?.caption ??
    content.documentMessage?.caption ??
    ''
  );
}

function contextOf(content: proto.IMessage): proto.IContextInfo | undefined {
  for (const value of Object.values(content)) {
    const info = (value as { contextInfo?: proto.IContextInfo } | null)?.contextInfo;
    if (info) return info;
  }
  return undefined;
}

const isSelf = (jid: string | null | undefined, self: WhatsAppWebSelf) =>
  jid !== undefined &&
  jid !== null &&
  (whatsAppUserId(jid) === self.id || (self.lid !== undefined && whatsAppUserId(jid) === self.lid));

function timestampOf(value: WAMessage['messageTimestamp']): number {
  const seconds = typeof value === 'number' ? value : Number(value?.toString() ?? Number.NaN);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : Date.now();
}

function where(key: WAMessageKey) {
  const chatJid = key.remoteJid ?? '';
  const isGroup = chatJid.endsWith('@g.us');
  const senderId = whatsAppUserId((isGroup ? key.participant : chatJid) ?? '');
  return { chatId: whatsAppUserId(chatJid), isGroup, senderId };
}

/**
 * Turns a message Baileys delivered (`messages.upsert`) into an inbound message, or `undefined` for
 * what the core does not take: the bot's own messages (`key.fromMe`), status broadcasts, protocol
 * messages (edits and revokes arrive as `messages.update`) and messages without text or media.
 * Chats and senders carry the ids of {@link whatsAppUserId}; attachments `<chat>/<message id>` as their
 * reference.
 */
export function normalizeWhatsAppWebMessage(message: WAMessage, self: WhatsAppWebSelf): InboundMessage | undefined {
  const { key } = message;
  if (key.fromMe || !key.id || !key.remoteJid || key.remoteJid === 'status@broadcast') return undefined;
  const content = unwrap(message.message);
  if (!content || content.protocolMessage || content.reactionMessage) return undefined;
  const { chatId, isGroup, senderId } = where(key);
  if (senderId === '') return undefined;
  const attachments: Attachment[] = [];
  for (const [field, kind] of media) {
    const item = content[field] as MediaMessage | null | undefined;
    if (!item) continue;
    const size = Number(item.fileLength?.toString() ?? Number.NaN);
    attachments.push({
      kind,
      reference: `${chatId}/${key.id}`,
      ...(item.fileName ? { name: item.fileName } : {}),
      ...(item.mimetype ? { mimeType: item.mimetype } : {}),
      ...(Number.isFinite(size) ? { size } : {}),
    });
  }
  const text = textOf(content);
  if (text === '' && attachments.length === 0) return undefined;
  const context = contextOf(content);
  const mentioned = (context?.mentionedJid ?? []).some((jid) => isSelf(jid, self));
  const quotedAuthor = context?.participant ?? undefined;
  const replyToBot = context?.stanzaId ? isSelf(quotedAuthor, self) : false;
  const quotedText = context?.quotedMessage ? textOf(unwrap(context.quotedMessage) ?? {}) : '';
  const name = message.pushName ?? undefined;
  return {
    kind: 'message',
    channel: 'whatsapp',
    chat: { id: chatId, isGroup, ...(!isGroup && name ? { name } : {}) },
    platformMessageId: key.id,
    sender: { id: senderId, ...(name ? { name } : {}), isBot: false },
    text,
    mentionsBot: mentioned || replyToBot,
    ...(context?.stanzaId
      ? {
          replyTo: {
            id: context.stanzaId,
            ...(quotedAuthor ? { author: { id: replyToBot ? self.id : whatsAppUserId(quotedAuthor) } } : {}),
            ...(quotedText ? { text: quotedText } : {}),
          },
        }
      : {}),
    ...(attachments.length > 0 ? { attachments } : {}),
    timestamp: timestampOf(message.messageTimestamp),
  };
}

/**
 * Turns a `messages.update` into an edit or a deletion, or `undefined` for other updates (read
 * receipts, status changes) and for the bot's own messages.
 */
export function normalizeWhatsAppWebUpdate(
  update: { key: WAMessageKey; update: Partial<WAMessage> },
  revokeStubType: number,
): InboundMessage | undefined {
  const { key } = update;
  if (key.fromMe || !key.id || !key.remoteJid) return undefined;
  const { chatId, isGroup, senderId } = where(key);
  const base = { channel: 'whatsapp', chat: { id: chatId, isGroup }, platformMessageId: key.id, sender: { id: senderId } };
  const edited = update.update.message?.editedMessage?.message;
  if (edited) {
    const content = unwrap(edited.protocolMessage?.editedMessage ?? edited);
    return {
      ...base,
      kind: 'edit',
      text: content ? textOf(content) : '',
      mentionsBot: false,
      timestamp: timestampOf(update.update.messageTimestamp),
    };
  }
  if (update.update.message === null && update.update.messageStubType === revokeStubType) {
    return { ...base, kind: 'delete', text: '', mentionsBot: false, timestamp: Date.now() };
  }
  return undefined;
}
