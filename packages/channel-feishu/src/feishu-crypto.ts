import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';

/**
 * Decrypts an `encrypt` field of Feishu's event subscription: AES-256-CBC with the SHA-256 of the
 * encrypt key as key, the first 16 bytes of the base64-decoded data as IV, PKCS#7 padding.
 * @returns the plain text, or undefined when it cannot be decrypted with this key
 */
export function decryptFeishuPayload(encryptKey: string, encrypted: string): string | undefined {
  const data = Buffer.from(encrypted, 'base64');
  if (data.length < 32 || data.length % 16 !== 0) return undefined;
  const key = createHash('sha256').update(encryptKey).digest();
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, data.subarray(0, 16));
    return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** True when two secrets are equal, compared in constant time (after hashing, so lengths leak nothing). */
export function sameSecret(given: string, expected: string): boolean {
  const left = createHash('sha256').update(given).digest();
  const right = createHash('sha256').update(expected).digest();
  return timingSafeEqual(left, right) && given.length === expected.length;
}

/**
 * True when `signature` (the `X-Lark-Signature` header) is the hex SHA-256 of
 * `timestamp + nonce + encryptKey + rawBody`, compared in constant time.
 */
export function verifyFeishuSignature(
  encryptKey: string,
  headers: { timestamp: string; nonce: string; signature: string },
  rawBody: string,
): boolean {
  const expected = createHash('sha256')
    .update(headers.timestamp + headers.nonce + encryptKey + rawBody)
    .digest('hex');
  return sameSecret(headers.signature.toLowerCase(), expected);
}
