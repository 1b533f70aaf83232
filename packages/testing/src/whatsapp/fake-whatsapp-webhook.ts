import { createHmac, randomBytes } from 'node:crypto';

/** A message a person sends to the business number, as the fake delivers it in a webhook. */
export interface FakeWhatsAppInbound {
  /** The sender's WhatsApp id (their phone number's digits). */
  from: string;
  /** The sender's profile name. */
  name?: string;
  /** The text (or a media caption). */
  text?: string;
  /** A media item added with `addMedia`, sent as `type` (`image`, `document`, `audio`, `video`, `sticker`). */
  media?: { type: 'image' | 'document' | 'audio' | 'video' | 'sticker'; id: string; mimeType: string; filename?: string };
  /** Replies to this `wamid` (sent by `replyToFrom`, the business number by default). */
  replyTo?: string;
  replyToFrom?: string;
  /** The message id. @default a new `wamid.` */
  id?: string;
  /** Epoch seconds. @default now */
  timestamp?: number;
}

/** `sha256=<hex HMAC-SHA256 of the raw body with the app secret>`: the `X-Hub-Signature-256` header. */
export function whatsAppSignature(appSecret: string, body: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/** A new message id in the shape of WhatsApp's (`wamid.` and base64). */
export function newWamid(): string {
  return `wamid.${randomBytes(24).toString('base64url')}`;
}

/**
 * The webhook body Meta posts for one inbound message (`object: whatsapp_business_account`, one entry,
 * one change of field `messages`, with `metadata` and `contacts`).
 */
export function whatsAppMessagePayload(
  business: { wabaId: string; phoneNumberId: string; displayPhoneNumber: string },
  input: FakeWhatsAppInbound & { id: string },
): Record<string, unknown> {
  const message: Record<string, unknown> = {
    from: input.from,
    id: input.id,
    timestamp: String(input.timestamp ?? Math.floor(Date.now() / 1000)),
  };
  if (input.media) {
    const { type, id, mimeType, filename } = input.media;
    message.type = type;
    message[type] = {
      id,
      mime_type: mimeType,
      sha256: randomBytes(32).toString('base64'),
      ...(filename ? { filename } : {}),
      ...(input.text ? { caption: input.text } : {}),
    };
  } else {
    message.type = 'text';
    message.text = { body: input.text ?? '' };
  }
  if (input.replyTo) message.context = { from: input.replyToFrom ?? business.displayPhoneNumber, id: input.replyTo };
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: business.wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: business.displayPhoneNumber, phone_number_id: business.phoneNumberId },
              contacts: [{ profile: { name: input.name ?? input.from }, wa_id: input.from }],
              messages: [message],
            },
          },
        ],
      },
    ],
  };
}
