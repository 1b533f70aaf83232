import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';

/** The AES key and IV WeCom derives from an EncodingAESKey: key = base64(key + '='), IV = its first 16 bytes. */
export interface WeComAesKey {
  key: Buffer;
  iv: Buffer;
}

/** Derives the AES-256 key from the 43-character EncodingAESKey. */
export function weComAesKey(encodingAesKey: string): WeComAesKey {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new TypeError('[@ngb/channel-wecom] encodingAesKey must decode to 32 bytes');
  return { key, iv: key.subarray(0, 16) };
}

/** WeCom's `msg_signature`: SHA-1 (hex) of token, timestamp, nonce and the encrypted text, sorted and joined. */
export function weComSignature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypted].sort().join('')).digest('hex');
}

/** True when `signature` is the `msg_signature` of these parts, compared in constant time. */
export function verifyWeComSignature(
  token: string,
  parts: { timestamp: string; nonce: string; encrypted: string },
  signature: string,
): boolean {
  const expected = Buffer.from(weComSignature(token, parts.timestamp, parts.nonce, parts.encrypted));
  const given = Buffer.from(signature.toLowerCase());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Why an encrypted callback text was refused. */
export type WeComDecryptFailure = 'not base64' | 'bad length' | 'bad padding' | 'bad layout' | 'wrong receiveid';

/** WeCom pads to a multiple of 32 bytes (PKCS#7 with a block of 32, not AES's 16). */
const padBlock = 32;

/**
 * Decrypts a callback's `Encrypt` (or `echostr`): AES-256-CBC without the cipher's own padding, then
 * WeCom's PKCS#7 (block 32); the plaintext is 16 random bytes, the message length (4 bytes, big-endian),
 * the message, and the receiveid, which must equal `corpId`.
 * @returns the message, or why it was refused
 */
export function decryptWeComMessage(
  aes: WeComAesKey,
  encrypted: string,
  corpId: string,
): { message: string } | { refused: WeComDecryptFailure } {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypted)) return { refused: 'not base64' };
  const cipherText = Buffer.from(encrypted, 'base64');
  if (cipherText.length === 0 || cipherText.length % padBlock !== 0) return { refused: 'bad length' };
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', aes.key, aes.iv);
    decipher.setAutoPadding(false);
    plain = Buffer.concat([decipher.update(cipherText), decipher.final()]);
  } catch {
    return { refused: 'bad length' };
  }
  const pad = plain[plain.length - 1] ?? 0;
  if (pad < 1 || pad > padBlock || plain.subarray(plain.length - pad).some((byte) => byte !== pad)) {
    return { refused: 'bad padding' };
  }
  const body = plain.subarray(0, plain.length - pad);
  if (body.length < 20) return { refused: 'bad layout' };
  const length = body.readUInt32BE(16);
  if (20 + length > body.length) return { refused: 'bad layout' };
  const receiveId = body.subarray(20 + length);
  const expected = Buffer.from(corpId);
  if (receiveId.length !== expected.length || !timingSafeEqual(receiveId, expected)) return { refused: 'wrong receiveid' };
  return { message: body.subarray(20, 20 + length).toString('utf8') };
}
