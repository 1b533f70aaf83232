import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPackage } from './hash-package';

let scratch: string;
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

/** A project with `plugin` installed and its dependencies hoisted beside it, as npm leaves them. */
function project(): string {
  scratch = mkdtempSync(join(tmpdir(), 'ngb-hash-'));
  const root = join(scratch, 'project');
  write(root, {
    'node_modules/plugin/package.json': JSON.stringify({
      name: 'plugin',
      version: '1.0.0',
      dependencies: { helper: '1' },
      optionalDependencies: { 'not-installed': '1' },
      peerDependencies: { host: '1' },
    }),
    'node_modules/plugin/index.js': 'export default 1;',
    'node_modules/helper/package.json': JSON.stringify({ name: 'helper', version: '1.0.0' }),
    'node_modules/helper/lib/index.js': 'export const help = 1;',
    'node_modules/host/package.json': JSON.stringify({ name: 'host', version: '1.0.0' }),
    'node_modules/host/index.js': 'export const host = 1;',
  });
  return root;
}

describe('hashPackage', () => {
  it('covers the package and the dependencies it resolves to, not its peers, and not where the project is', async () => {
    const root = project();
    const first = await hashPackage(join(root, 'node_modules/plugin'));
    expect(first).toMatchObject({ hash: expect.stringMatching(/^sha256-[0-9a-f]{64}$/), packages: 2, files: 4 });

    cpSync(root, join(scratch, 'moved'), { recursive: true });
    expect((await hashPackage(join(scratch, 'moved/node_modules/plugin'))).hash).toBe(first.hash);

    write(root, { 'node_modules/host/index.js': 'export const host = 2;' });
    expect((await hashPackage(join(root, 'node_modules/plugin'))).hash).toBe(first.hash);

    write(root, { 'node_modules/helper/lib/index.js': 'export const help = 2;' });
    const changed = await hashPackage(join(root, 'node_modules/plugin'));
    expect(changed.hash).not.toBe(first.hash);

    write(root, { 'node_modules/not-installed/package.json': JSON.stringify({ name: 'not-installed', version: '1.0.0' }) });
    expect((await hashPackage(join(root, 'node_modules/plugin'))).packages).toBe(3);
  });

  it('records a symbolic link by its target and never follows it', async () => {
    const root = project();
    write(scratch, { 'outside/secret.js': 'export const a = 1;' });
    symlinkSync(join(scratch, 'outside/secret.js'), join(root, 'node_modules/plugin/linked.js'));
    const linked = await hashPackage(join(root, 'node_modules/plugin'));
    expect(linked.files).toBe(4);

    write(scratch, { 'outside/secret.js': 'export const a = 2;' });
    expect((await hashPackage(join(root, 'node_modules/plugin'))).hash).toBe(linked.hash);

    unlinkSync(join(root, 'node_modules/plugin/linked.js'));
    symlinkSync(join(scratch, 'outside/other.js'), join(root, 'node_modules/plugin/linked.js'));
    expect((await hashPackage(join(root, 'node_modules/plugin'))).hash).not.toBe(linked.hash);
  });
});
