import { execFileSync } from 'node:child_process';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, outputOf, type ServerHarness, startServerHarness } from '../__fixtures__/server-harness';
import type { GrepOutput } from '../tool-schemas';

// The image ships ripgrep and the program uses it when it is on PATH; without it, the search runs in
// Node. Both engines must answer the same question the same way: the same files searched (hidden ones
// too, never .git or node_modules, never through a symlink), the same refusals. One difference is
// documented: ripgrep leaves out what a git repository's .gitignore names.
function findRipgrep(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('[@ngb/sandbox] the grep tests need ripgrep (`rg`) on PATH: run .ci/system.sh (apt-get install ripgrep)');
  }
}

const engines = [
  ['node', () => null],
  ['ripgrep', findRipgrep],
] as const;

describe.each(engines)('grep with the %s engine', (engine, ripgrepPath) => {
  let harness: ServerHarness;
  let beyondRoot: string;
  const grep = async (input: Record<string, unknown>) => outputOf<GrepOutput>(await harness.request('grep', input));
  const places = (output: GrepOutput) => output.matches.map((match) => `${match.path}:${match.line}`).sort();

  beforeAll(async () => {
    harness = await startServerHarness({ ripgrepPath: ripgrepPath() });
    const put = async (name: string, content: string | Buffer) => {
      await mkdir(path.dirname(path.join(harness.root, name)), { recursive: true });
      await writeFile(path.join(harness.root, name), content);
    };
    await put('agent/notes.md', 'needle one\nhay\nNEEDLE two\n');
    await put('agent/src/deep/code.ts', 'const needle = 1;\n');
    await put('agent/.env', 'needle=in a hidden file\n');
    await put('agent/.github/ci.yml', 'needle: in a hidden folder\n');
    await put('agent/.gitignore', 'build/\n');
    await put('agent/build/out.js', 'needle ignored by git, still in the workspace\n');
    await put('agent/.git/HEAD', 'ref: refs/heads/main\n');
    await put('agent/.git/config', 'needle in git\n');
    await put('agent/node_modules/pkg/index.js', 'needle in a dependency\n');
    await put('agent/picture.bin', Buffer.from('needle\0binary\n'));
    await put('agent/long.txt', `needle ${'x'.repeat(2_000)}\n`);
    await put('outside/secret.txt', 'needle outside the workspace root\n');
    beyondRoot = `${harness.root}-secret.txt`;
    await writeFile(beyondRoot, 'needle beyond the root\n');
    await symlink(beyondRoot, path.join(harness.agentDirectory, 'escape.txt'));
    await symlink(path.join(harness.root, 'outside'), path.join(harness.agentDirectory, 'outside-link'));
  });
  afterAll(async () => {
    await harness.close();
    await rm(beyondRoot, { force: true });
  });

  it(`names its engine (${engine})`, async () => {
    expect((await grep({ pattern: 'hay' })).engine).toBe(engine);
  });

  it('searches every text file of the workspace, hidden ones too, but not .git, node_modules or binaries', async () => {
    expect(places(await grep({ pattern: 'needle' }))).toEqual([
      '.env:1',
      '.github/ci.yml:1',
      ...(engine === 'node' ? ['build/out.js:1'] : []),
      'long.txt:1',
      'notes.md:1',
      'src/deep/code.ts:1',
    ]);
  });

  it(engine === 'node' ? 'searches what .gitignore names' : 'leaves out what .gitignore names in a git repository', async () => {
    expect(places(await grep({ pattern: 'ignored by git' }))).toEqual(engine === 'node' ? ['build/out.js:1'] : []);
  });

  it('searches .git or node_modules when asked to by path', async () => {
    expect(places(await grep({ pattern: 'needle', path: 'node_modules' }))).toEqual(['node_modules/pkg/index.js:1']);
    expect(places(await grep({ pattern: 'needle', path: '.git' }))).toEqual(['.git/config:1']);
  });

  it('never follows a symlink out of the directory it searches', async () => {
    const output = await grep({ pattern: 'outside|beyond' });
    expect(output.matches).toEqual([]);
  });

  it('ignores case on request and reports lines relative to the working directory', async () => {
    expect(places(await grep({ pattern: 'needle (one|two)', ignoreCase: true }))).toEqual(['notes.md:1', 'notes.md:3']);
    expect(places(await grep({ pattern: 'needle (one|two)' }))).toEqual(['notes.md:1']);
  });

  it('searches a path outside the working directory but inside the root, shown absolute', async () => {
    const output = await grep({ pattern: 'needle', path: '../outside' });
    expect(output.matches).toEqual([
      { path: path.join(harness.root, 'outside/secret.txt'), line: 1, text: 'needle outside the workspace root' },
    ]);
  });

  it('filters files by a glob on their names', async () => {
    expect(places(await grep({ pattern: 'needle', glob: '*.ts' }))).toEqual(['src/deep/code.ts:1']);
    expect(places(await grep({ pattern: 'needle', glob: '*.{md,yml}' }))).toEqual(['.github/ci.yml:1', 'notes.md:1']);
  });

  it('cuts long lines and stops at maxResults, saying so', async () => {
    const [long] = (await grep({ pattern: 'x{100}' })).matches;
    expect(long?.text).toBe(`needle ${'x'.repeat(493)} [cut]`);
    const limited = await grep({ pattern: 'needle', maxResults: 3 });
    expect(limited.truncated).toBe(true);
    expect(limited.matches).toHaveLength(3);
    const found = (await grep({ pattern: 'needle' })).matches.length;
    expect(await grep({ pattern: 'needle', maxResults: found })).toMatchObject({ truncated: false, matches: { length: found } });
  });

  it('refuses an invalid regular expression, a missing path and a path out of the workspace', async () => {
    expect(errorOf(await harness.request('grep', { pattern: '(' }))).toMatchObject({ code: 'invalid_input' });
    expect(errorOf(await harness.request('grep', { pattern: 'a', path: 'missing' }))).toMatchObject({ code: 'not_found' });
    expect(errorOf(await harness.request('grep', { pattern: 'a', path: 'escape.txt' }))).toMatchObject({
      code: 'path_outside_workspace',
    });
  });
});
