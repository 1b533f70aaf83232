import {
  appendFileSync,
  closeSync,
  mkdtempSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLogSink } from '@ngb/host';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLogLine } from './format-log-line';
import { followLines, type ReadAt, readLastLines } from './read-log';
import { parseTruncatedLine } from './truncated-line';

const scratch = mkdtempSync(join(tmpdir(), 'ngb-read-log-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const chunkBytes = 64 * 1024;
const maxLineBytes = 64 * 1024;

/** fs.readSync, counting the calls and the bytes read. */
function countingReader(): { readAt: ReadAt; calls: number; bytes: number } {
  const counter = {
    calls: 0,
    bytes: 0,
    readAt: ((descriptor, buffer, offset, length, position) => {
      counter.calls += 1;
      const read = readSync(descriptor, buffer, offset, length, position);
      counter.bytes += read;
      return read;
    }) as ReadAt,
  };
  return counter;
}

const record = (index: number) => JSON.stringify({ time: '2026-01-01T00:00:00.000Z', level: 'info', msg: `line ${index}` });

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

  it('keeps multi-byte characters whole across chunk boundaries', () => {
    const file = join(scratch, 'utf8.jsonl');
    const lines = Array.from({ length: 20 }, (_, index) => `${index} ${'€'.repeat(index * 7)} 日本語`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    expect(readLastLines(file, 20, undefined, { chunkBytes: 16 }).lines).toEqual(lines);
  });

  it('is empty for a missing file', () => {
    expect(readLastLines(join(scratch, 'none.jsonl'), 5)).toEqual({ lines: [], size: 0 });
  });

  describe('a 40 MB log whose one line is 40 MB', () => {
    const file = join(scratch, 'huge.jsonl');
    const before = Array.from({ length: 100 }, (_, index) => record(index));
    const after = Array.from({ length: 5 }, (_, index) => record(1000 + index));
    const hugeStart = '{"time":"2026-01-01T00:00:01.000Z","level":"warn","msg":"tool output","output":"';
    const hugeBytes = 40 * 1024 * 1024;
    const descriptor = openSync(file, 'w');
    writeSync(descriptor, `${before.join('\n')}\n${hugeStart}`);
    const filler = Buffer.alloc(1024 * 1024, 'x');
    const fillerCount = Math.ceil((hugeBytes - hugeStart.length) / filler.length);
    for (let index = 0; index < fillerCount; index += 1) writeSync(descriptor, filler);
    writeSync(descriptor, `"}\n${after.join('\n')}\n`);
    closeSync(descriptor);
    const hugeLineBytes = hugeStart.length + fillerCount * filler.length + 2;
    const tailBytes = (lines: string[]) => lines.reduce((sum, line) => sum + line.length + 1, 0);

    it('gives the lines after it reading only the tail', () => {
      const reader = countingReader();
      const { lines } = readLastLines(file, 3, undefined, { readAt: reader.readAt });
      expect(lines).toEqual(after.slice(2));
      expect(reader.bytes).toBeLessThanOrEqual(chunkBytes);
      expect(reader.calls).toBe(1);
    });

    it('gives the huge line cut to its start with a marker, each byte read once, memory bounded', () => {
      const reader = countingReader();
      const { lines } = readLastLines(file, 7, undefined, { readAt: reader.readAt, chunkBytes, maxLineBytes });
      expect(lines).toHaveLength(7);
      expect(lines[0]).toBe(before.at(-1));
      expect(lines.slice(2)).toEqual(after);
      const huge = lines[1] ?? '';
      expect(huge.length).toBeLessThan(maxLineBytes + 100);
      expect(huge.startsWith(hugeStart)).toBe(true);
      expect(parseTruncatedLine(huge)).toEqual({ start: expect.any(String), bytes: hugeLineBytes });
      expect(parseLogLine(huge)).toMatchObject({
        level: 'warn',
        msg: 'tool output',
        truncated: `line of ${hugeLineBytes} bytes`,
      });
      // Linear: the bytes read are those of the lines returned plus at most one chunk more on either side.
      const needed = tailBytes(after) + hugeLineBytes + 1 + tailBytes(before.slice(-1));
      expect(reader.bytes).toBeGreaterThanOrEqual(needed - 1);
      expect(reader.bytes).toBeLessThanOrEqual(needed + 2 * chunkBytes);
      expect(reader.calls).toBeLessThanOrEqual(Math.ceil(reader.bytes / chunkBytes) + 1);
    });

    it('reads the whole file once when asked for more lines than it has', () => {
      const reader = countingReader();
      const { lines, size } = readLastLines(file, 1000, undefined, { readAt: reader.readAt });
      expect(lines).toHaveLength(106);
      expect(reader.bytes).toBe(size);
    });
  });

  it('continues into the rotated files, newest first, and reports the size of the current one', () => {
    const file = join(scratch, 'rotated.jsonl');
    writeFileSync(`${file}.2`, 'a1\na2\na3\n');
    writeFileSync(`${file}.1`, 'b1\nb2\nb3\n');
    writeFileSync(file, 'c1\nc2\n');
    expect(readLastLines(file, 6)).toEqual({ lines: ['a3', 'b1', 'b2', 'b3', 'c1', 'c2'], size: 6 });
    expect(readLastLines(file, 2).lines).toEqual(['c1', 'c2']);
    expect(readLastLines(file, 100).lines).toHaveLength(8);
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

  it('reads what was appended to a file before it was rotated away, then the new file', async () => {
    const file = join(scratch, 'follow-rotated.jsonl');
    writeFileSync(file, 'old\n');
    const seen: string[] = [];
    const stop = followLines(file, 4, (line) => seen.push(line));
    try {
      appendFileSync(file, 'one\n');
      await waitUntil(() => seen.length === 1);
      appendFileSync(file, 'two\n');
      renameSync(file, `${file}.1`);
      writeFileSync(file, 'three\n');
      await waitUntil(() => seen.length >= 3);
      expect(seen).toEqual(['one', 'two', 'three']);
    } finally {
      stop();
    }
  });

  it('follows a log rotated many times between two wake-ups, losing no line and repeating none', async () => {
    const file = join(scratch, 'follow-sink.jsonl');
    const sink = openLogSink(file, { maxFileBytes: 300, maxFiles: 50 });
    const seen: string[] = [];
    const stop = followLines(file, 0, (line) => seen.push(JSON.parse(line).msg));
    try {
      for (let index = 0; index < 60; index += 1) sink.write({ time: 't', level: 'info', msg: `m${index}` });
      await waitUntil(() => seen.length >= 60);
      expect(seen).toEqual(Array.from({ length: 60 }, (_, index) => `m${index}`));
    } finally {
      stop();
      sink.close();
    }
  });

  it('hands over a line longer than the limit cut to its start', async () => {
    const file = join(scratch, 'follow-long.jsonl');
    writeFileSync(file, '');
    const seen: string[] = [];
    const stop = followLines(file, 0, (line) => seen.push(line), { maxLineBytes: 100, chunkBytes: 64 });
    try {
      for (let index = 0; index < 50; index += 1) appendFileSync(file, 'y'.repeat(97));
      appendFileSync(file, '\nshort\n');
      await waitUntil(() => seen.length === 2);
      expect(seen).toEqual([`${'y'.repeat(100)} …[line truncated: 4850 bytes, first 100 shown]`, 'short']);
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
