import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputOf, type ServerHarness, startServerHarness } from '../__fixtures__/server-harness';
import type { ListFilesOutput, ReadFileOutput } from '../tool-schemas';

// What a tool hands back is bounded however large the workspace: the model's context is the limit.
const maxOutputBytes = 64;
let harness: ServerHarness;

beforeAll(async () => {
  harness = await startServerHarness({ maxOutputBytes });
  const file = (name: string) => path.join(harness.agentDirectory, name);
  await writeFile(
    file('twenty.txt'),
    Array.from({ length: 20 }, (_, index) => `line ${String(index + 1).padStart(3, '0')}`).join('\n'),
  );
  await writeFile(file('long-line.txt'), `${'y'.repeat(3_000)}\nshort\n`);
  await mkdir(file('many'));
  await Promise.all(
    Array.from({ length: 1_001 }, (_, index) => writeFile(file(`many/f${String(index).padStart(4, '0')}.txt`), '')),
  );
});
afterAll(() => harness.close());

describe('read_file within the output cap', () => {
  it('stops keeping lines at the cap, says so, and still counts every line', async () => {
    const output = outputOf<ReadFileOutput>(await harness.request('read_file', { path: 'twenty.txt' }));
    const kept = output.content.split('\n');
    expect(kept[0]).toBe('line 001');
    expect(output.content.length).toBeLessThanOrEqual(maxOutputBytes + 'line 001'.length);
    expect(kept.length).toBeLessThan(20);
    expect(output).toMatchObject({ startLine: 1, endLine: kept.length, totalLines: 20, truncated: true });
  });

  it('cuts a line longer than 2000 characters, saying where', async () => {
    const output = outputOf<ReadFileOutput>(await harness.request('read_file', { path: 'long-line.txt', limit: 1 }));
    expect(output.content).toBe(`${'y'.repeat(2_000)} [line cut at 2000 characters]`);
    expect(output.truncated).toBe(true);
  });
});

describe('list_files within its cap', () => {
  it('lists at most 1000 files and says it stopped', async () => {
    const output = outputOf<ListFilesOutput>(await harness.request('list_files', { path: 'many' }));
    expect(output.truncated).toBe(true);
    expect(output.files).toHaveLength(1_000);
    expect(new Set(output.files).size).toBe(1_000);
  });

  it('is not truncated when the pattern leaves fewer', async () => {
    const output = outputOf<ListFilesOutput>(await harness.request('list_files', { path: 'many', pattern: 'f09*' }));
    expect(output).toEqual({
      files: Array.from({ length: 100 }, (_, index) => `f09${String(index).padStart(2, '0')}.txt`),
      truncated: false,
    });
  });
});
