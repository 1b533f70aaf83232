import { describe, expect, it } from 'vitest';
import { createLineSplitter } from './line-splitter';

function collect(maxLineBytes: number, chunks: string[]) {
  const lines: string[] = [];
  let oversized = 0;
  const splitter = createLineSplitter(
    maxLineBytes,
    (line) => lines.push(line),
    () => (oversized += 1),
  );
  for (const chunk of chunks) splitter.push(Buffer.from(chunk));
  splitter.end();
  return { lines, oversized };
}

describe('createLineSplitter', () => {
  it('joins lines split across chunks and strips CRLF', () => {
    expect(collect(100, ['ab', 'c\nde\r', '\nf'])).toEqual({ lines: ['abc', 'de', 'f'], oversized: 0 });
  });

  it('keeps multi-byte characters cut between chunks whole', () => {
    const bytes = Buffer.from('héllo\n');
    const lines: string[] = [];
    const splitter = createLineSplitter(
      100,
      (line) => lines.push(line),
      () => {},
    );
    splitter.push(bytes.subarray(0, 2));
    splitter.push(bytes.subarray(2));
    expect(lines).toEqual(['héllo']);
  });

  it('drops an oversized line once, in one chunk or many, and goes on with the next', () => {
    expect(collect(5, ['123456789\nok\n'])).toEqual({ lines: ['ok'], oversized: 1 });
    expect(collect(5, ['1234', '5678', '9012', '\nok\n'])).toEqual({ lines: ['ok'], oversized: 1 });
  });
});
