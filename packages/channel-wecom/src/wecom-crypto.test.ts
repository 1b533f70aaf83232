import { weComCallbackSignature, weComEncrypt } from '@ngb/testing';
import { describe, expect, it } from 'vitest';
import vector from './__fixtures__/official-sample-vector.json';
import { parseWeComXml } from './normalize-wecom-message';
import { decryptWeComMessage, verifyWeComSignature, weComAesKey, weComSignature } from './wecom-crypto';

const aes = weComAesKey(vector.encodingAesKey);

describe('WeCom callback crypto', () => {
  it("checks and decrypts the URL check of WeCom's published sample", () => {
    const { msg_signature, timestamp, nonce, echostr, plaintext } = vector.urlCheck;
    expect(verifyWeComSignature(vector.token, { timestamp, nonce, encrypted: echostr }, msg_signature)).toBe(true);
    expect(decryptWeComMessage(aes, echostr, vector.corpId)).toEqual({ message: plaintext });
  });

  it("checks and decrypts the message callback of WeCom's published sample", () => {
    const { msg_signature, timestamp, nonce, body } = vector.message;
    const encrypted = parseWeComXml(body)?.Encrypt ?? '';
    expect(verifyWeComSignature(vector.token, { timestamp, nonce, encrypted }, msg_signature)).toBe(true);
    const decrypted = decryptWeComMessage(aes, encrypted, vector.corpId);
    if (!('message' in decrypted)) throw new Error(`refused: ${decrypted.refused}`);
    expect(parseWeComXml(decrypted.message)).toMatchObject({ ToUserName: vector.corpId });
  });

  it('round-trips with the fake platform (an independent implementation), CJK and markup characters included', () => {
    const message = '<xml><Content><![CDATA[你好 & <b>]]></Content></xml>';
    for (let length = 0; length < 40; length += 1) {
      const text = message + 'x'.repeat(length);
      const encrypted = weComEncrypt(vector.encodingAesKey, text, vector.corpId);
      expect(decryptWeComMessage(aes, encrypted, vector.corpId)).toEqual({ message: text });
    }
    expect(weComCallbackSignature('t', '1', 'n', 'e')).toBe(weComSignature('t', '1', 'n', 'e'));
  });

  it('refuses a wrong receiveid, bad padding, a wrong length and non-base64 text', () => {
    const other = weComEncrypt(vector.encodingAesKey, '<xml/>', 'wwsomeoneelse');
    expect(decryptWeComMessage(aes, other, vector.corpId)).toEqual({ refused: 'wrong receiveid' });
    const badPadding = weComEncrypt(vector.encodingAesKey, '<xml/>', vector.corpId, true);
    expect(decryptWeComMessage(aes, badPadding, vector.corpId)).toEqual({ refused: 'bad padding' });
    expect(decryptWeComMessage(aes, Buffer.alloc(20).toString('base64'), vector.corpId)).toEqual({ refused: 'bad length' });
    expect(decryptWeComMessage(aes, 'not base64!', vector.corpId)).toEqual({ refused: 'not base64' });
  });

  it('refuses a signature made with another token, and compares case-insensitively hex only', () => {
    const parts = { timestamp: '1', nonce: 'n', encrypted: 'e' };
    const right = weComSignature('token', '1', 'n', 'e');
    expect(verifyWeComSignature('token', parts, right.toUpperCase())).toBe(true);
    expect(verifyWeComSignature('token', parts, weComSignature('other', '1', 'n', 'e'))).toBe(false);
    expect(verifyWeComSignature('token', parts, `${right}0`)).toBe(false);
    expect(verifyWeComSignature('token', parts, '')).toBe(false);
  });
});
