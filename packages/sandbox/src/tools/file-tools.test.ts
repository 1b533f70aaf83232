import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, outputOf, type ServerHarness, startServerHarness } from '../__fixtures__/server-harness';
import type { EditFileOutput, ReadFileOutput, WriteFileOutput } from '../tool-schemas';

let harness: ServerHarness;
const file = (name: string) => path.join(harness.agentDirectory, name);

beforeAll(async () => {
  harness = await startServerHarness();
  await writeFile(file('lines.txt'), Array.from({ length: 10 }, (_, index) => `line ${index + 1}`).join('\n'));
  await writeFile(path.join(harness.root, 'outside-agent.txt'), 'in the workspace, beside the agent folder');
  await mkdir(path.join(harness.root, '..', `${path.basename(harness.root)}-secret`), { recursive: true });
  await writeFile(path.join(harness.root, '..', `${path.basename(harness.root)}-secret`, 'key'), 'SECRET');
  await symlink(path.join(harness.root, '..', `${path.basename(harness.root)}-secret`), file('escape'));
});
afterAll(() => harness.close());

describe('read_file', () => {
  it('reads a window of lines and says how many there are', async () => {
    const output = outputOf<ReadFileOutput>(await harness.request('read_file', { path: 'lines.txt', offset: 3, limit: 2 }));
    expect(output).toEqual({
      path: 'lines.txt',
      content: 'line 3\nline 4',
      startLine: 3,
      endLine: 4,
      totalLines: 10,
      truncated: true,
    });
  });

  it('reads the whole file by default and past the end gives nothing', async () => {
    const whole = outputOf<ReadFileOutput>(await harness.request('read_file', { path: 'lines.txt' }));
    expect(whole).toMatchObject({ startLine: 1, endLine: 10, totalLines: 10, truncated: false });
    const past = outputOf<ReadFileOutput>(await harness.request('read_file', { path: 'lines.txt', offset: 50 }));
    expect(past).toMatchObject({ content: '', startLine: 0, endLine: 0, totalLines: 10 });
  });

  it('refuses missing files, directories, binary files and paths outside the workspace', async () => {
    await writeFile(file('blob.bin'), Buffer.from([1, 0, 2]));
    expect(errorOf(await harness.request('read_file', { path: 'nope.txt' })).code).toBe('not_found');
    expect(errorOf(await harness.request('read_file', { path: '.' })).code).toBe('tool_failed');
    expect(errorOf(await harness.request('read_file', { path: 'blob.bin' })).message).toMatch(/binary/);
    expect(errorOf(await harness.request('read_file', { path: '/etc/passwd' })).code).toBe('path_outside_workspace');
    expect(errorOf(await harness.request('read_file', { path: 'escape/key' })).code).toBe('path_outside_workspace');
  });

  it('reads elsewhere in the workspace root', async () => {
    const output = outputOf<ReadFileOutput>(await harness.request('read_file', { path: '../outside-agent.txt' }));
    expect(output.content).toMatch(/beside the agent folder/);
  });
});

describe('write_file', () => {
  it('creates missing directories and reports the bytes written', async () => {
    const output = outputOf<WriteFileOutput>(await harness.request('write_file', { path: 'new/deep/a.txt', content: 'héllo' }));
    expect(output).toEqual({ path: 'new/deep/a.txt', bytesWritten: 6 });
    expect(await readFile(file('new/deep/a.txt'), 'utf8')).toBe('héllo');
  });

  it('refuses to write through a link out of the workspace or over a directory', async () => {
    expect(errorOf(await harness.request('write_file', { path: 'escape/planted', content: 'x' })).code).toBe(
      'path_outside_workspace',
    );
    expect(errorOf(await harness.request('write_file', { path: '../../planted', content: 'x' })).code).toBe(
      'path_outside_workspace',
    );
    expect(errorOf(await harness.request('write_file', { path: 'new', content: 'x' })).code).toBe('tool_failed');
  });
});

describe('edit_file', () => {
  it('replaces text that occurs once, keeping $ patterns literal', async () => {
    await writeFile(file('edit.txt'), 'alpha beta gamma');
    const output = outputOf<EditFileOutput>(
      await harness.request('edit_file', { path: 'edit.txt', oldText: 'beta', newText: '$& $1' }),
    );
    expect(output).toEqual({ path: 'edit.txt', replacements: 1 });
    expect(await readFile(file('edit.txt'), 'utf8')).toBe('alpha $& $1 gamma');
  });

  it('refuses missing text and text that is not unique, changing nothing', async () => {
    await writeFile(file('dup.txt'), 'x = 1\nx = 1\n');
    expect(errorOf(await harness.request('edit_file', { path: 'dup.txt', oldText: 'y = 2', newText: '' }))).toMatchObject({
      code: 'tool_failed',
      message: /not found/,
    });
    expect(errorOf(await harness.request('edit_file', { path: 'dup.txt', oldText: 'x = 1', newText: 'x = 2' }))).toMatchObject({
      code: 'tool_failed',
      message: /occurs 2 times/,
    });
    expect(await readFile(file('dup.txt'), 'utf8')).toBe('x = 1\nx = 1\n');
  });

  it('replaces every occurrence with replaceAll', async () => {
    await writeFile(file('all.txt'), 'a-a-a');
    const output = outputOf<EditFileOutput>(
      await harness.request('edit_file', { path: 'all.txt', oldText: 'a', newText: 'bb', replaceAll: true }),
    );
    expect(output.replacements).toBe(3);
    expect(await readFile(file('all.txt'), 'utf8')).toBe('bb-bb-bb');
  });
});
