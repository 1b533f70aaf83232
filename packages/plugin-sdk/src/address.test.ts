import { describe, expect, it } from 'vitest';
import { type Address, formatAddress, parseAddress } from './address';

describe('addresses', () => {
  it.each<[Address, string]>([
    [{ channel: 'telegram', chatId: '42' }, 'telegram:42'],
    [{ channel: 'telegram', chatId: '-100123', threadId: '7' }, 'telegram:-100123:7'],
    [{ channel: 'whatsapp', chatId: '1555@s.whatsapp.net' }, 'whatsapp:1555@s.whatsapp.net'],
    [{ channel: 'matrix', chatId: '!room:example.org', threadId: '$a:b' }, 'matrix:!room%3Aexample.org:$a%3Ab'],
    [{ channel: 'web', chatId: '100%' }, 'web:100%25'],
    [{ channel: 'web', chatId: '%3A' }, 'web:%253A'],
  ])('%j ⇄ %s', (address, text) => {
    expect(formatAddress(address)).toBe(text);
    expect(parseAddress(text)).toEqual(address);
    expect(parseAddress(formatAddress(address))).toEqual(address);
  });

  it.each(['', 'telegram', 'telegram:', ':42', 'a:b:c:d', 'a:b::', 'web:100%', 'web:%zz'])('refuses %j', (text) => {
    expect(() => parseAddress(text)).toThrow(/invalid/);
  });
});
