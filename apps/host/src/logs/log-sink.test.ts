import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLogSink } from './log-sink';
import { rotatedLogFiles } from './rotate-log-files';

/** Every line of the log and its rotated files, oldest first. */
function allLines(path: string): string[] {
  return [...rotatedLogFiles(path).reverse(), path].flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line !== ''),
  );
}

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'ngb-log-sink-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

const lineOf = (index: number) => ({
  time: '2026-01-01T00:00:00.000Z',
  level: 'info' as const,
  msg: `line ${index}`,
  pad: 'x'.repeat(60),
});
const messages = (text: string) =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line).msg as string);

describe('openLogSink rotation', () => {
  it('rotates past the size cap, keeps at most maxFiles files, and writes the newest lines to the main file', () => {
    const path = join(directory, 'gateway.jsonl');
    const maxFileBytes = 1000;
    const sink = openLogSink(path, { maxFileBytes, maxFiles: 3 });
    for (let index = 0; index < 200; index += 1) sink.write(lineOf(index));
    sink.close();
    expect(readdirSync(directory).sort()).toEqual(['gateway.jsonl', 'gateway.jsonl.1', 'gateway.jsonl.2']);
    for (const name of readdirSync(directory)) expect(statSync(join(directory, name)).size).toBeLessThanOrEqual(maxFileBytes);
    const current = messages(readFileSync(path, 'utf8'));
    const previous = messages(readFileSync(`${path}.1`, 'utf8'));
    const oldest = messages(readFileSync(`${path}.2`, 'utf8'));
    expect(current.at(-1)).toBe('line 199');
    // The three files hold one run of consecutive lines, oldest in `.2`.
    const kept = [...oldest, ...previous, ...current];
    const first = Number(kept[0]?.slice(5));
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, offset) => `line ${first + offset}`));
    expect(allLines(path).map((line) => JSON.parse(line).msg)).toEqual(kept);
  });

  it('deletes rotated files beyond a lowered maxFiles, and with maxFiles 1 keeps only the current file', () => {
    const path = join(directory, 'gateway.jsonl');
    for (const suffix of ['.1', '.2', '.3', '.4']) writeFileSync(`${path}${suffix}`, '{"msg":"old"}\n');
    writeFileSync(path, `${JSON.stringify(lineOf(0))}\n`);
    const sink = openLogSink(path, { maxFileBytes: 100, maxFiles: 1 });
    sink.write(lineOf(1));
    sink.write(lineOf(2));
    sink.close();
    expect(readdirSync(directory)).toEqual(['gateway.jsonl']);
    expect(messages(readFileSync(path, 'utf8'))).toEqual(['line 2']);
  });

  it('keeps writing to the file another process rotated to, not to the rotated one', () => {
    const path = join(directory, 'gateway.jsonl');
    const first = openLogSink(path, { maxFileBytes: 500, maxFiles: 20 });
    const second = openLogSink(path, { maxFileBytes: 500, maxFiles: 20 });
    for (let index = 0; index < 40; index += 1) (index % 2 === 0 ? first : second).write(lineOf(index));
    first.close();
    second.close();
    expect(readdirSync(directory).length).toBeGreaterThan(5);
    for (const name of readdirSync(directory)) expect(statSync(join(directory, name)).size).toBeLessThanOrEqual(500);
    const all = allLines(path).map((line) => JSON.parse(line).msg);
    expect(all).toEqual(Array.from({ length: 40 }, (_, index) => `line ${index}`));
  });

  it('drops records below its level', () => {
    const path = join(directory, 'gateway.jsonl');
    const sink = openLogSink(path, { level: 'warn' });
    expect([sink.accepts('info'), sink.accepts('warn'), sink.accepts('error')]).toEqual([false, true, true]);
    sink.write({ ...lineOf(1), level: 'debug' });
    sink.write({ ...lineOf(2), level: 'info' });
    sink.write({ ...lineOf(3), level: 'error' });
    sink.close();
    expect(messages(readFileSync(path, 'utf8'))).toEqual(['line 3']);
  });

  it('never throws when the disk is full: whoever logs (a poll loop, a turn) keeps running', () => {
    // /dev/full answers every write with ENOSPC, as a full data folder does.
    const sink = openLogSink('/dev/full');
    expect(() => sink.write({ ...lineOf(1), level: 'error' })).not.toThrow();
    expect(() => sink.write(lineOf(2))).not.toThrow();
    sink.close();
  });
});
