// The platform side of WeCom's callbacks, written apart from the adapter's code (its own padding,
// layout and signature code) so a round trip checks one implementation against another.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';

/** A message as WeCom puts it inside a callback (the inner XML's fields). */
export interface FakeWeComInbound {
  /** `text`, `image`, `voice`, `video`, `file`, `location`, `link` or `event`. @default 'text' */
  msgType?: string;
  /** The sender's userid (`FromUserName`). */
  fromUser: string;
  /** The message id (`MsgId`); a redelivery carries the same. @default a new one */
  msgId?: string;
  /** `Content` of a text message. */
  content?: string;
  /** `ChatId` when the message comes from a group chat of the app. */
  chatId?: string;
  /** `MediaId` of an image, voice, video or file. */
  mediaId?: string;
  /** `FileName` of a file. */
  fileName?: string;
  /** `PicUrl` of an image. */
  picUrl?: string;
  /** `Event` of an event message. */
  event?: string;
  /** `CreateTime`, seconds. @default now */
  createTime?: number;
}

/** How a callback is made wrong on purpose, for tests of the adapter's refusals. */
export interface FakeWeComCallbackFaults {
  /** Signs with this token instead of the right one. */
  signWith?: string;
  /** Puts this receiveid in the plaintext instead of the CorpID. */
  receiveId?: string;
  /** Flips a byte of the ciphertext after it was signed, as a forger without the token would have to. */
  tamperCiphertext?: boolean;
  /** Pads with a wrong pad byte (the signature still matches). */
  badPadding?: boolean;
  /** The `timestamp` query value, seconds. @default now */
  timestamp?: number;
  /** The `nonce` query value. @default a random one */
  nonce?: string;
}

const cdata = (value: string) => `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

/** The inner XML of a message, as WeCom writes it. */
export function weComMessageXml(input: FakeWeComInbound & { toUser: string; agentId: string | number }, now: number): string {
  const type = input.msgType ?? 'text';
  const fields: Array<[string, string | number | undefined]> = [
    ['ToUserName', input.toUser],
    ['FromUserName', input.fromUser],
    ['CreateTime', input.createTime ?? Math.floor(now / 1000)],
    ['MsgType', type],
    ['Content', input.content],
    ['PicUrl', input.picUrl],
    ['MediaId', input.mediaId],
    ['FileName', input.fileName],
    ['Event', input.event],
    ['ChatId', input.chatId],
    ['MsgId', type === 'event' ? undefined : input.msgId],
    ['AgentID', input.agentId],
  ];
  const body = fields
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) =>
      typeof value === 'number' ? `<${name}>${value}</${name}>` : `<${name}>${cdata(String(value))}</${name}>`,
    )
    .join('');
  return `<xml>${body}</xml>`;
}

/** WeCom's callback encryption of `message`: AES-256-CBC over random(16) + length + message + receiveid, PKCS#7 to 32. */
export function weComEncrypt(encodingAesKey: string, message: string, receiveId: string, badPadding = false): string {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  const text = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(text.length, 0);
  const body = Buffer.concat([randomBytes(16), length, text, Buffer.from(receiveId, 'utf8')]);
  const pad = 32 - (body.length % 32);
  const padding = Buffer.alloc(pad, pad);
  if (badPadding) padding[pad - 1] = pad === 32 ? 33 : 0;
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([body, padding])), cipher.final()]).toString('base64');
}

/** `msg_signature` as WeCom computes it. */
export function weComCallbackSignature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  const parts = [token, timestamp, nonce, encrypted];
  parts.sort();
  return createHash('sha1').update(parts.join(''), 'utf8').digest('hex');
}

/** The query string and body of one callback POST (or of the URL check's GET, without a body). */
export function weComCallback(
  settings: { token: string; encodingAesKey: string; corpId: string; agentId: string | number },
  message: string,
  now: number,
  faults: FakeWeComCallbackFaults = {},
): { query: string; encrypted: string; body: string } {
  let encrypted = weComEncrypt(settings.encodingAesKey, message, faults.receiveId ?? settings.corpId, faults.badPadding);
  const timestamp = String(faults.timestamp ?? Math.floor(now / 1000));
  const nonce = faults.nonce ?? randomBytes(6).toString('hex');
  const signature = weComCallbackSignature(faults.signWith ?? settings.token, timestamp, nonce, encrypted);
  if (faults.tamperCiphertext) {
    const bytes = Buffer.from(encrypted, 'base64');
    bytes[bytes.length - 40] = (bytes[bytes.length - 40] ?? 0) ^ 0x5a;
    encrypted = bytes.toString('base64');
  }
  const query = new URLSearchParams({ msg_signature: signature, timestamp, nonce });
  const body = `<xml><ToUserName>${cdata(settings.corpId)}</ToUserName><Encrypt>${cdata(encrypted)}</Encrypt><AgentID>${cdata(String(settings.agentId))}</AgentID></xml>`;
  return { query: query.toString(), encrypted, body };
}
