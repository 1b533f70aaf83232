import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAgentFile } from './read-agent-file';

let root: string;
let agents: string;
let outside: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ngb-agent-file-'));
  agents = join(root, 'agents');
  outside = join(root, 'outside');
  mkdirSync(join(agents, 'main'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'AGENTS.md'), 'SECRET-OUTSIDE');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

// Both ways of walking the folders: by descriptor (Linux) and by lstat before and after (elsewhere).
describe.each([
  ['by descriptor', true],
  ['by lstat', false],
])('readAgentFile, walking %s', (_name, byDescriptor) => {
  const read = (path: string, maxBytes = 1024) => readAgentFile(agents, path, { maxBytes, byDescriptor });

  it('reads a regular file, and says when one is missing', async () => {
    writeFileSync(join(agents, 'main', 'AGENTS.md'), 'be kind');
    expect(await read('main/AGENTS.md')).toEqual({ status: 'read', text: 'be kind', truncated: false });
    expect(await read('main/NOPE.md')).toEqual({ status: 'missing' });
    expect(await read('gone/AGENTS.md')).toEqual({ status: 'missing' });
  });

  it('refuses a link to a file outside, and a dangling link', async () => {
    symlinkSync(join(outside, 'AGENTS.md'), join(agents, 'main', 'AGENTS.md'));
    symlinkSync(join(outside, 'nothing-here'), join(agents, 'main', 'DANGLING.md'));
    expect(await read('main/AGENTS.md')).toEqual({
      status: 'refused',
      reason: 'symlink',
      detail: 'main/AGENTS.md is a symbolic link',
    });
    expect(await read('main/DANGLING.md')).toMatchObject({ status: 'refused', reason: 'symlink' });
  });

  it('refuses an agent folder or the global folder that is a link', async () => {
    symlinkSync(outside, join(agents, 'evil'));
    symlinkSync(outside, join(agents, 'global'));
    expect(await read('evil/AGENTS.md')).toEqual({ status: 'refused', reason: 'symlink', detail: 'evil is a symbolic link' });
    expect(await read('global/AGENTS.md')).toEqual({ status: 'refused', reason: 'symlink', detail: 'global is a symbolic link' });
  });

  it('refuses a FIFO at once, without waiting for a writer', async () => {
    execFileSync('mkfifo', [join(agents, 'main', 'AGENTS.md')]);
    expect(await read('main/AGENTS.md')).toEqual({
      status: 'refused',
      reason: 'not-regular',
      detail: 'main/AGENTS.md is a named pipe (FIFO)',
    });
  });

  it('refuses a link to a device', async () => {
    symlinkSync('/dev/zero', join(agents, 'main', 'AGENTS.md'));
    expect(await read('main/AGENTS.md')).toMatchObject({ status: 'refused', reason: 'symlink' });
  });

  it('refuses a folder where a file is expected, and paths that leave the agents folder', async () => {
    mkdirSync(join(agents, 'main', 'AGENTS.md'));
    expect(await read('main/AGENTS.md')).toMatchObject({ status: 'refused', reason: 'not-regular' });
    for (const path of [
      '../outside/AGENTS.md',
      'main/../../outside/AGENTS.md',
      '/etc/passwd',
      'main//AGENTS.md',
      './main/AGENTS.md',
    ])
      expect(await read(path), path).toMatchObject({ status: 'refused', reason: 'bad-path' });
  });

  it('says when a file read whole is not valid UTF-8', async () => {
    writeFileSync(join(agents, 'main', 'LATIN1.md'), Buffer.from('caf\xe9', 'latin1'));
    expect(await read('main/LATIN1.md')).toMatchObject({ status: 'read', truncated: false, invalidUtf8: true });
    writeFileSync(join(agents, 'main', 'UTF8.md'), 'café \uFFFD');
    expect(await read('main/UTF8.md')).toEqual({ status: 'read', text: 'café \uFFFD', truncated: false });
  });

  it('reads at most maxBytes, says it truncated, and never cuts a character in two', async () => {
    writeFileSync(join(agents, 'main', 'AGENTS.md'), `${'a'.repeat(9)}é${'b'.repeat(100)}`);
    expect(await read('main/AGENTS.md', 10)).toEqual({ status: 'read', text: 'a'.repeat(9), truncated: true });
    writeFileSync(join(agents, 'main', 'EXACT.md'), 'x'.repeat(10));
    expect(await read('main/EXACT.md', 10)).toEqual({ status: 'read', text: 'x'.repeat(10), truncated: false });
  });
});
