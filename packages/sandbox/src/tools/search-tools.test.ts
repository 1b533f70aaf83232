import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, outputOf, type ServerHarness, startServerHarness } from '../__fixtures__/server-harness';
import type { GrepOutput, ListFilesOutput } from '../tool-schemas';

let harness: ServerHarness;

beforeAll(async () => {
  harness = await startServerHarness();
  const put = async (name: string, content: string) => {
    await mkdir(path.dirname(path.join(harness.agentDirectory, name)), { recursive: true });
    await writeFile(path.join(harness.agentDirectory, name), content);
  };
  await put('README.md', 'Hello world\n');
  await put('src/main.ts', 'const greeting = "hello";\nexport default greeting;\n');
  await put('src/util/strings.ts', 'export const HELLO = 1;\n');
  await put('src/data.json', '{"hello": true}\n');
  await put('node_modules/pkg/index.js', 'hello from a dependency\n');
  await put('.git/config', 'hello from git\n');
});
afterAll(() => harness.close());

describe('list_files', () => {
  it('lists by glob, skipping .git and node_modules', async () => {
    const all = outputOf<ListFilesOutput>(await harness.request('list_files', {}));
    expect(all).toEqual({ files: ['README.md', 'src/data.json', 'src/main.ts', 'src/util/strings.ts'], truncated: false });
    const typescript = outputOf<ListFilesOutput>(await harness.request('list_files', { pattern: '**/*.ts' }));
    expect(typescript.files).toEqual(['src/main.ts', 'src/util/strings.ts']);
    const inSource = outputOf<ListFilesOutput>(await harness.request('list_files', { pattern: '*.{ts,json}', path: 'src' }));
    expect(inSource.files).toEqual(['data.json', 'main.ts']);
  });

  it('refuses a directory outside the workspace', async () => {
    expect(errorOf(await harness.request('list_files', { path: '/' })).code).toBe('path_outside_workspace');
  });
});

describe('grep without ripgrep', () => {
  it('finds lines by regular expression, with file and line number', async () => {
    const output = outputOf<GrepOutput>(await harness.request('grep', { pattern: 'hello', ignoreCase: true }));
    expect(output.engine).toBe('node');
    expect(output.matches).toEqual([
      { path: 'README.md', line: 1, text: 'Hello world' },
      { path: 'src/data.json', line: 1, text: '{"hello": true}' },
      { path: 'src/main.ts', line: 1, text: 'const greeting = "hello";' },
      { path: 'src/util/strings.ts', line: 1, text: 'export const HELLO = 1;' },
    ]);
  });

  it('filters by glob, limits results and searches a single file', async () => {
    const typescript = outputOf<GrepOutput>(await harness.request('grep', { pattern: 'greeting', glob: '*.ts' }));
    expect(typescript.matches.map((match) => `${match.path}:${match.line}`)).toEqual(['src/main.ts:1', 'src/main.ts:2']);
    const limited = outputOf<GrepOutput>(await harness.request('grep', { pattern: '.', maxResults: 2 }));
    expect(limited).toMatchObject({ truncated: true, matches: [{}, {}] });
    const single = outputOf<GrepOutput>(await harness.request('grep', { pattern: 'export', path: 'src/main.ts' }));
    expect(single.matches).toEqual([{ path: 'src/main.ts', line: 2, text: 'export default greeting;' }]);
  });

  it('refuses an invalid regular expression', async () => {
    expect(errorOf(await harness.request('grep', { pattern: '(' })).code).toBe('invalid_input');
  });
});
