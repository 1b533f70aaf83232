import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { followLines, readLastLines } from './read-log';

const scratch = mkdtempSync(join(tmpdir(), 'ngb-read-log-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('readLastLines', () => {
  it('returns the last matching lines in order, across chunk boundaries', () => {
    const file = join(scratch, 'big.jsonl');
    const lines = Array.from({ length: 5000 }, (_, index) => JSON.stringify({ index, pad: 'x'.repeat(40) }));
    writeFileSync(file, `${lines.join('\n')}\n`);
    const { lines: last, size } = readLastLines(file, 3);
    expect(last.map((line) => JSON.parse(line).index)).toEqual([4997, 4998, 4999]);
    expect(size).toBeGreaterThan(64 * 1024 * 3);
    const even = readLastLines(file, 2, (line) => JSON.parse(line).index % 1000 === 0).lines;
    expect(even.map((line) => JSON.parse(line).index)).toEqual([3000, 4000]);
    expect(readLastLines(file, 10_000).lines).toHaveLength(5000);
  });

  it('is empty for a missing file', () => {
    expect(readLastLines(join(scratch, 'none.jsonl'), 5)).toEqual({ lines: [], size: 0 });
  });
});

describe('followLines', () => {
  it('hands over complete lines appended later, also to a file created after it started', async () => {
    const file = join(scratch, 'later.jsonl');
    const seen: string[] = [];
    const stop = followLines(file, 0, (line) => seen.push(line));
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      writeFileSync(file, 'one\ntw');
      await waitUntil(() => seen.length === 1);
      appendFileSync(file, 'o\nthree\n');
      await waitUntil(() => seen.length === 3);
      expect(seen).toEqual(['one', 'two', 'three']);
    } finally {
      stop();
    }
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
