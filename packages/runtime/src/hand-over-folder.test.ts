import { execFileSync } from 'node:child_process';
import { link, lstat, mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SandboxError } from '@ngb/plugin-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentFolderLocationProblem, handOverAgentFolder } from './hand-over-folder';

const isRoot = process.getuid?.() === 0;

describe('agentFolderLocationProblem', () => {
  it.each([
    ['/', 'a top-level folder'],
    ['/etc', 'a top-level folder'],
    ['/home', 'a top-level folder'],
    ['/srv', 'a top-level folder'],
    ['/usr/lib/agents', 'inside the system folder /usr'],
    ['/etc/ngb/main', 'inside the system folder /etc'],
    ['/proc/self', 'inside the system folder /proc'],
    ['/home/alice', 'a home folder'],
    [os.userInfo().homedir, process.getuid?.() === 0 ? 'a top-level folder' : 'a home folder'],
  ])('refuses %s: %s', (folder, reason) => {
    expect(agentFolderLocationProblem(folder)).toMatch(new RegExp(`^${reason}`));
  });

  it.each(['/srv/ngb/agents/main', '/home/alice/project/agents/main', '/tmp/ngb-x/agents/main'])('accepts %s', (folder) => {
    expect(agentFolderLocationProblem(folder)).toBeUndefined();
  });
});

describe('handOverAgentFolder refuses folders that are not one agent folder', () => {
  // Paths that do not exist: a regression that walked them anyway could change nothing.
  it.each(['/ngb-missing-agent', '/etc/ngb-missing/main', '/home/ngb-missing-user'])('%s, before touching it', async (folder) => {
    const refusal = await handOverAgentFolder(folder, '1000:1000').catch((error: unknown) => error);
    expect(SandboxError.isInstance(refusal)).toBe(true);
    expect((refusal as SandboxError).reason).toBe('invalid_input');
    expect((refusal as Error).message).toContain(`[@ngb/runtime] refusing ${folder} as an agent folder: it is `);
  });
});

// Changing owners needs root; `.ci/run` runs as root, so there the test must run.
const describeAsRoot = isRoot || process.env.CI === 'true' ? describe : describe.skip;

describeAsRoot('handOverAgentFolder as root stays inside the agent folder', () => {
  let base: string;
  let outside: string;
  let agent: string;
  const mounted: string[] = [];

  beforeEach(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'ngb-hand-over-'));
    outside = path.join(base, 'outside');
    agent = path.join(base, 'agents', 'main');
    await mkdir(path.join(outside, 'deep'), { recursive: true });
    await writeFile(path.join(outside, 'secret.txt'), 'root only\n');
    await writeFile(path.join(outside, 'deep', 'file.txt'), 'root only\n');
    await mkdir(path.join(agent, 'notes'), { recursive: true });
    await writeFile(path.join(agent, 'notes', 'todo.md'), 'mine\n');
  });
  afterEach(async () => {
    for (const point of mounted.splice(0)) execFileSync('umount', [point]);
    await rm(base, { recursive: true, force: true });
  });

  const owner = async (file: string) => {
    const stats = await lstat(file);
    return `${stats.uid}:${stats.gid}`;
  };

  it('hands the folder over, changing links themselves and never what they point to', async () => {
    await symlink(outside, path.join(agent, 'link-to-outside'));
    await symlink(path.join(outside, 'secret.txt'), path.join(agent, 'notes', 'secret-link'));
    await handOverAgentFolder(agent, '1000:1000');
    for (const mine of ['', 'notes', 'notes/todo.md', 'link-to-outside', 'notes/secret-link'])
      expect(await owner(path.join(agent, mine)), mine).toBe('1000:1000');
    for (const theirs of ['', 'secret.txt', 'deep', 'deep/file.txt'])
      expect(await owner(path.join(outside, theirs)), theirs).toBe('0:0');
  });

  it('does not cross a mount point inside the folder, even one of the same file system', async () => {
    const point = path.join(agent, 'mounted');
    await mkdir(point);
    execFileSync('mount', ['--bind', outside, point]);
    mounted.push(point);
    expect((await stat(point)).dev).toBe((await stat(agent)).dev);
    await handOverAgentFolder(agent, '1000:1000');
    expect(await owner(path.join(agent, 'notes', 'todo.md'))).toBe('1000:1000');
    for (const theirs of ['', 'secret.txt', 'deep', 'deep/file.txt'])
      expect(await owner(path.join(outside, theirs)), theirs).toBe('0:0');
  });

  it('leaves a file linked in from elsewhere (a second hard link) to its owner', async () => {
    await link(path.join(outside, 'secret.txt'), path.join(agent, 'notes', 'hard-link'));
    await handOverAgentFolder(agent, '1000:1000');
    expect(await owner(path.join(outside, 'secret.txt'))).toBe('0:0');
    expect(await owner(path.join(agent, 'notes', 'todo.md'))).toBe('1000:1000');
  });
});
