// The event side of the fake Feishu: `im.message.receive_v1` / `im.message.recalled_v1` envelopes as the
// event subscription (schema 2.0) posts them, encrypted (AES-256-CBC, key SHA-256(encryptKey), a random IV
// in front) and signed (`X-Lark-Signature`: sha256(timestamp + nonce + encryptKey + body)) like Feishu does.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';

/** A person's message injected into the fake. */
export interface FakeFeishuUserMessage {
  chatId: string;
  /** `p2p` (a direct chat) or `group`. @default 'p2p' */
  chatType?: 'p2p' | 'group';
  /** The sender's open_id. */
  senderOpenId: string;
  /** `user`, or `app` for another bot. @default 'user' */
  senderType?: 'user' | 'app';
  /** The text; `@_user_N` placeholders name {@link mentions} in order. */
  text?: string;
  /** `text` (default), `post`, `image`, `file`; `content` then gives the content as Feishu does. */
  messageType?: string;
  /** The message content object (defaults to `{ text }`). */
  content?: Record<string, unknown>;
  /** People mentioned (`@_user_1` is the first). */
  mentions?: Array<{ openId: string; name: string }>;
  /** The message replied to (`parent_id`). */
  parentId?: string;
  /** The root of the thread (`root_id`; with a `thread_id`). */
  rootId?: string;
}

/** An event envelope as Feishu posts it (schema 2.0). */
export interface FakeFeishuEnvelope {
  schema: '2.0';
  header: {
    event_id: string;
    event_type: string;
    create_time: string;
    token: string;
    app_id: string;
    tenant_key: string;
  };
  event: Record<string, unknown>;
}

/** How {@link feishuWebhookRequest} builds a request. */
export interface FakeFeishuDelivery {
  /** The URL posted to. @default 'http://127.0.0.1/channels/feishu/webhook' */
  url?: string;
  /** Encrypt the body with this key (`{ encrypt }`) and sign it. */
  encryptKey?: string;
  /** Sign with this key instead of `encryptKey` (a wrong signature). */
  signWith?: string;
  /** Leave out the signature headers. */
  unsigned?: boolean;
}

/** `base64(iv + AES-256-CBC(SHA-256(key), iv, text))`, as Feishu encrypts events. */
export function encryptFeishuPayload(encryptKey: string, text: string): string {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', createHash('sha256').update(encryptKey).digest(), iv);
  return Buffer.concat([iv, cipher.update(text, 'utf8'), cipher.final()]).toString('base64');
}

/** Feishu's `X-Lark-Signature` of a body. */
export function feishuSignature(encryptKey: string, timestamp: string, nonce: string, body: string): string {
  return createHash('sha256')
    .update(timestamp + nonce + encryptKey + body)
    .digest('hex');
}

/** The HTTP request the event subscription posts for `payload` (an envelope or a `url_verification`). */
export function feishuWebhookRequest(payload: unknown, delivery: FakeFeishuDelivery = {}): Request {
  const plain = JSON.stringify(payload);
  const body = delivery.encryptKey ? JSON.stringify({ encrypt: encryptFeishuPayload(delivery.encryptKey, plain) }) : plain;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const key = delivery.signWith ?? delivery.encryptKey;
  if (key && !delivery.unsigned) {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(8).toString('hex');
    headers['x-lark-request-timestamp'] = timestamp;
    headers['x-lark-request-nonce'] = nonce;
    headers['x-lark-signature'] = feishuSignature(key, timestamp, nonce, body);
  }
  return new Request(delivery.url ?? 'http://127.0.0.1/channels/feishu/webhook', { method: 'POST', headers, body });
}

/** The `event` of an `im.message.receive_v1` for a person's message. */
export function messageEvent(input: FakeFeishuUserMessage, messageId: string, createdMs: number): Record<string, unknown> {
  const messageType = input.messageType ?? 'text';
  const content = input.content ?? { text: input.text ?? '' };
  return {
    sender: {
      sender_id: { open_id: input.senderOpenId, union_id: `on_${input.senderOpenId}`, user_id: input.senderOpenId.slice(3) },
      sender_type: input.senderType ?? 'user',
      tenant_key: 'fake-tenant',
    },
    message: {
      message_id: messageId,
      ...(input.rootId ? { root_id: input.rootId, thread_id: `omt_${input.rootId}` } : {}),
      ...(input.parentId ? { parent_id: input.parentId } : {}),
      create_time: String(createdMs),
      update_time: String(createdMs),
      chat_id: input.chatId,
      chat_type: input.chatType ?? 'p2p',
      message_type: messageType,
      content: JSON.stringify(content),
      ...(input.mentions
        ? {
            mentions: input.mentions.map((mention, index) => ({
              key: `@_user_${index + 1}`,
              id: { open_id: mention.openId, union_id: `on_${mention.openId}`, user_id: mention.openId.slice(3) },
              name: mention.name,
              tenant_key: 'fake-tenant',
            })),
          }
        : {}),
    },
  };
}

/** Wraps an event in its envelope. */
export function envelope(
  eventType: string,
  event: Record<string, unknown>,
  app: { appId: string; verificationToken: string },
  eventId: string,
): FakeFeishuEnvelope {
  return {
    schema: '2.0',
    header: {
      event_id: eventId,
      event_type: eventType,
      create_time: String(Date.now()),
      token: app.verificationToken,
      app_id: app.appId,
      tenant_key: 'fake-tenant',
    },
    event,
  };
}
