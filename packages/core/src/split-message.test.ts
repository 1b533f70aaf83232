import { describe, expect, it } from 'vitest';
import { splitMessage } from './split-message';

function check(text: string, limit: number): string[] {
  const chunks = splitMessage(text, limit);
  expect(chunks.join('')).toBe(text);
  for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(limit);
  return chunks;
}

describe('splitMessage', () => {
  it.each<[string, string, number, string[]]>([
    ['short text is one chunk', 'hello', 10, ['hello']],
    ['exactly the limit is one chunk', 'abcde', 5, ['abcde']],
    ['empty text has no chunks', '', 5, []],
    ['prefers a paragraph break', 'aaaa bbbb\n\ncccc dddd', 15, ['aaaa bbbb\n\n', 'cccc dddd']],
    ['then a line break', 'aaaa bbbb\ncccc dddd', 15, ['aaaa bbbb\n', 'cccc dddd']],
    ['then a space', 'aaaa bbbb cccc', 10, ['aaaa bbbb ', 'cccc']],
    ['hard cut without boundaries', 'abcdefghij', 4, ['abcd', 'efgh', 'ij']],
    ['never splits a surrogate pair', 'ab😀cd', 3, ['ab', '😀c', 'd']],
    ['many paragraphs', 'p1\n\np2\n\np3', 5, ['p1\n\n', 'p2\n\n', 'p3']],
  ])('%s', (_name, text, limit, expected) => {
    expect(check(text, limit)).toEqual(expected);
  });

  it('keeps every chunk within the limit on long mixed text', () => {
    const text = Array.from(
      { length: 300 },
      (_, index) => `word${index}${index % 17 === 0 ? '\n\n' : index % 7 === 0 ? '\n' : ' '}`,
    ).join('');
    const chunks = check(text, 97);
    expect(chunks.length).toBeGreaterThan(10);
  });

  it('does not leave a tiny chunk when a boundary is too early', () => {
    const chunks = check(`a ${'x'.repeat(50)}`, 20);
    expect(chunks[0]).toBe(`a ${'x'.repeat(18)}`);
  });

  it('refuses a limit below 2', () => {
    expect(() => splitMessage('abc', 1)).toThrow(RangeError);
  });
});

describe('splitMessage with a byte limit (platforms that count UTF-8 bytes)', () => {
  const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

  it('keeps English text whole up to the byte limit, and splits CJK text by bytes at its boundaries', () => {
    const english = 'word '.repeat(400).trim();
    expect(splitMessage(english, 2048, 2048)).toEqual([english]);
    const chinese = '你好世界。'.repeat(300);
    const chunks = splitMessage(chinese, 2048, 2048);
    expect(chunks.join('')).toBe(chinese);
    expect(chunks.every((chunk) => bytes(chunk) <= 2048)).toBe(true);
    expect(bytes(chunks[0] ?? '')).toBeGreaterThan(2040);
  });

  it('prefers a paragraph break within the byte limit', () => {
    const text = `${'你'.repeat(500)}\n\n${'好'.repeat(500)}`;
    expect(splitMessage(text, 2048, 2048)).toEqual([`${'你'.repeat(500)}\n\n`, '好'.repeat(500)]);
  });

  it('never cuts a character: emoji (4 bytes) and mixed widths stay whole', () => {
    const text = `a${'😀'.repeat(10)}é€`;
    const chunks = splitMessage(text, 100, 9);
    expect(chunks.join('')).toBe(text);
    expect(chunks.every((chunk) => bytes(chunk) <= 9 && !chunk.includes('\ufffd'))).toBe(true);
    expect(chunks.every((chunk) => Buffer.from(chunk, 'utf8').toString('utf8') === chunk)).toBe(true);
  });

  it('the unit limit still holds when it is the smaller one', () => {
    expect(splitMessage('abcdefgh', 3, 1000)).toEqual(['abc', 'def', 'gh']);
  });

  it('refuses a byte limit below 4 (a character may need four)', () => {
    expect(() => splitMessage('abc', 10, 3)).toThrow(RangeError);
  });
});
