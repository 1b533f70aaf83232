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
