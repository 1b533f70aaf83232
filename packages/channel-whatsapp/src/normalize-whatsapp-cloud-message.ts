import type { Attachment, InboundMessage } from '@ngb/plugin-sdk';

/** One message of a Cloud API webhook (`entry[].changes[].value.messages[]`), as far as it is read. */
interface CloudMessage {
  from?: unknown;
  id?: unknown;
  timestamp?: unknown;
  type?: unknown;
  text?: { body?: unknown };
  context?: { id?: unknown; from?: unknown };
  [media: string]: unknown;
}

/** The `value` of one change of field `messages`. */
export interface CloudChangeValue {
  metadata?: { display_phone_number?: unknown; phone_number_id?: unknown };
  contacts?: Array<{ wa_id?: unknown; profile?: { name?: unknown } }>;
  messages?: unknown[];
  statuses?: unknown[];
}

const mediaKinds: Record<string, Attachment['kind']> = {
  image: 'image',
  sticker: 'image',
  audio: 'audio',
  video: 'video',
  document: 'file',
};

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * Turns one Cloud API message into an inbound message, or `undefined` for what the core does not take
 * (reactions, system and unsupported messages, messages without a sender or an id). The Cloud API
 * reports only one-to-one chats: the chat is the sender's WhatsApp id. Media carry their media id as
 * the attachment `reference` (downloaded later with the token). A reply names the message replied to
 * (`context.id`); a reply to one of the bot's messages counts as mentioning the bot.
 * @param bot the business number: its ids as replies name it (`display_phone_number` digits and
 *   `phone_number_id`) and the `self.id` reported for it
 */
export function normalizeWhatsAppCloudMessage(
  value: CloudChangeValue,
  raw: unknown,
  bot: { numbers: ReadonlySet<string>; selfId: string },
): InboundMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const message = raw as CloudMessage;
  const from = text(message.from);
  const id = text(message.id);
  const type = text(message.type);
  if (from === undefined || from === '' || id === undefined || id === '' || type === undefined) return undefined;
  let body: string | undefined;
  let attachments: Attachment[] | undefined;
  if (type === 'text') body = text(message.text?.body) ?? '';
  else if (type in mediaKinds) {
    const media = (message[type] ?? {}) as { id?: unknown; mime_type?: unknown; filename?: unknown; caption?: unknown };
    const mediaId = text(media.id);
    if (mediaId === undefined || mediaId === '') return undefined;
    body = text(media.caption) ?? '';
    const name = text(media.filename);
    const mimeType = text(media.mime_type);
    attachments = [
      { kind: mediaKinds[type] ?? 'file', reference: mediaId, ...(name ? { name } : {}), ...(mimeType ? { mimeType } : {}) },
    ];
  } else return undefined;
  const contacts = Array.isArray(value.contacts) ? value.contacts : [];
  const contact = contacts.find((candidate) => candidate?.wa_id === from) ?? contacts[0];
  const name = text(contact?.profile?.name);
  const seconds = Number(message.timestamp);
  const repliedId = text(message.context?.id);
  const repliedFrom = text(message.context?.from);
  const repliesToBot = repliedFrom !== undefined && bot.numbers.has(repliedFrom.replace(/\D/g, ''));
  return {
    kind: 'message',
    channel: 'whatsapp',
    chat: { id: from, isGroup: false, ...(name ? { name } : {}) },
    platformMessageId: id,
    sender: { id: from, ...(name ? { name } : {}), isBot: false },
    text: body,
    mentionsBot: repliesToBot,
    ...(repliedId
      ? { replyTo: { id: repliedId, ...(repliedFrom ? { author: { id: repliesToBot ? bot.selfId : repliedFrom } } : {}) } }
      : {}),
    ...(attachments ? { attachments } : {}),
    timestamp: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : Date.now(),
  };
}
