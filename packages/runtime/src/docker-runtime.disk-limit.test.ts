import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SandboxError, type SandboxSpec } from '@ngb/plugin-sdk';
import type { BashOutput } from '@ngb/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentFolders, createAgentFolders } from './__fixtures__/agent-folders';
import { describeWithDocker, testImage } from './__fixtures__/docker-gate';
import { mountsUnder, unmountUnder } from './__fixtures__/loop-mounts';
import { probeDiskLimitAs } from './__fixtures__/run-as-user';
import { createDockerRuntime, type DockerRuntime } from './docker-runtime';
import type { DockerRuntimeOptions } from './docker-runtime-options';
import { topMountAt } from './mount-table';

const mebibyte = 1024 * 1024;
const isRoot = process.getuid?.() === 0;
let folders: AgentFolders;
let imageFolder: string;
const runtimes: DockerRuntime[] = [];

function start(options: Partial<DockerRuntimeOptions> = {}): DockerRuntime {
  const runtime = createDockerRuntime({
    image: testImage,
    namespace: `test-disk-${process.pid}-${runtimes.length}`,
    diskLimit: { imageFolder },
    ...options,
  });
  runtimes.push(runtime);
  return runtime;
}

function spec(sessionId: string, agentFolder: string, diskMb: number): SandboxSpec {
  return { sessionId, agentFolder, agentName: 'Disk', isMain: false, limits: { memoryMb: 256, diskMb } };
}

async function bash(runtime: DockerRuntime, session: SandboxSpec, command: string): Promise<BashOutput> {
  const sandbox = await runtime.acquire(session);
  try {
    return (await sandbox.call('bash', { command }, { timeoutMs: 60_000 })).output as BashOutput;
  } finally {
    sandbox.release();
  }
}

async function errorOf(promise: Promise<unknown>): Promise<SandboxError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!SandboxError.isInstance(error)) throw new Error(`expected a SandboxError, got ${String(error)}`);
  return error;
}

// Loop mounts need root. CI runs as root, so there a missing root fails the tests instead of skipping them.
const describeAsRoot =
  isRoot || process.env.CI === 'true'
    ? describeWithDocker
    : (name: string, body: () => void) => describe.skip(`${name} (needs root)`, body);

describeAsRoot('docker runtime: the size limit of agent folders', () => {
  beforeAll(async () => {
    folders = await createAgentFolders('docker-disk');
    imageFolder = path.join(folders.base, 'disks');
  });
  afterAll(async () => {
    await Promise.all(runtimes.map((runtime) => runtime.close()));
    if (folders) {
      unmountUnder(folders.base);
      expect(mountsUnder(folders.base)).toEqual([]);
      await folders.remove();
    }
  });

  it('a tool writing past a 32 MiB limit gets ENOSPC; the host keeps its space and every file written before', async () => {
    const agentFolder = await folders.make('agent');
    await writeFile(path.join(agentFolder, 'AGENTS.md'), '# Instructions\nBe brief.\n');
    const runtime = start();
    const session = spec('limited', agentFolder, 32);

    const before = await bash(runtime, session, 'echo kept > kept.txt && cat AGENTS.md');
    expect(before).toMatchObject({ exitCode: 0, stdout: '# Instructions\nBe brief.\n' });
    const filled = await bash(runtime, session, 'head -c 64M /dev/zero > big.bin; echo "exit=$?"; df -k . | tail -1');
    expect(filled.stderr).toContain('No space left on device');
    expect(filled.stdout).toContain('exit=1');
    const sandbox = await runtime.acquire(session);
    const refused = await errorOf(sandbox.call('write_file', { path: 'more.txt', content: 'x'.repeat(4 * mebibyte) }));
    sandbox.release();
    expect(refused.reason).toBe('tool_failed');
    expect(refused.message).toMatch(/ENOSPC|no space left/i);

    const [image] = readdirSync(imageFolder).filter((name) => name.endsWith('.img'));
    const imageStats = await stat(path.join(imageFolder, image ?? ''));
    expect(imageStats.size).toBe(32 * mebibyte);
    expect(imageStats.blocks * 512).toBeLessThanOrEqual(32 * mebibyte);
    expect((await stat(path.join(agentFolder, 'big.bin'))).size).toBeLessThan(32 * mebibyte);
    expect(await readFile(path.join(agentFolder, 'AGENTS.md'), 'utf8')).toBe('# Instructions\nBe brief.\n');
    expect(await readFile(path.join(agentFolder, 'kept.txt'), 'utf8')).toBe('kept\n');
    expect(await topMountAt(agentFolder)).toMatchObject({ fsType: 'ext4', source: expect.stringMatching(/^\/dev\/loop\d+$/) });

    const freed = await bash(runtime, session, 'rm big.bin && echo again > again.txt && cat again.txt');
    expect(freed).toMatchObject({ exitCode: 0, stdout: 'again\n' });
  });

  it('raising the limit grows the disk at the next start; lowering it never shrinks it', async () => {
    const agentFolder = await folders.make('agent');
    const runtime = start();
    const small = await bash(
      runtime,
      spec('grow-1', agentFolder, 32),
      'echo first > first.txt; head -c 40M /dev/zero > big.bin; echo "exit=$?"',
    );
    expect(small.stdout).toContain('exit=1');
    await runtime.reap({ idleForMs: 0 });
    const grown = await bash(
      runtime,
      spec('grow-2', agentFolder, 96),
      'rm -f big.bin; head -c 40M /dev/zero > big.bin; echo "exit=$?"; cat first.txt; df -k . | tail -1',
    );
    expect(grown.stdout).toContain('exit=0');
    expect(grown.stdout).toContain('first');
    const sizeKb = Number(grown.stdout.trim().split('\n').at(-1)?.split(/\s+/)[1]);
    expect(sizeKb * 1024).toBeGreaterThan(80 * mebibyte);
    await runtime.reap({ idleForMs: 0 });
    const lowered = await bash(runtime, spec('grow-3', agentFolder, 32), 'stat -c %s big.bin');
    expect(lowered.stdout.trim()).toBe(String(40 * mebibyte));
  });

  it('two gateways starting sandboxes of one agent at once share one mount of its disk', async () => {
    const agentFolder = await folders.make('agent');
    const serve = start();
    const run = start();
    const [first, second] = await Promise.all([
      serve.acquire(spec('serve-session', agentFolder, 32)),
      run.acquire(spec('run-session', agentFolder, 32)),
    ]);
    await first.call('bash', { command: 'echo from-serve > shared.txt' });
    const seen = (await second.call('bash', { command: 'cat shared.txt' })).output as BashOutput;
    expect(seen.stdout).toBe('from-serve\n');
    expect(mountsUnder(agentFolder)).toEqual([agentFolder]);
    first.release();
    second.release();
    // A third start finds the disk mounted and reuses it.
    await bash(start(), spec('third-session', agentFolder, 32), 'true');
    expect(mountsUnder(agentFolder)).toEqual([agentFolder]);
  });

  it('copies the folder into its disk without following links, and skips what is not a file, folder or link', async () => {
    const agentFolder = await folders.make('agent');
    await mkdir(path.join(agentFolder, 'notes'));
    await writeFile(path.join(agentFolder, 'notes', 'a.txt'), 'note a');
    await symlink('/etc/shadow', path.join(agentFolder, 'leak'));
    await symlink('/etc', path.join(agentFolder, 'etc-link'));
    execFileSync('mkfifo', [path.join(agentFolder, 'pipe')]);
    const listing = await bash(
      start(),
      spec('copied', agentFolder, 32),
      'cat notes/a.txt; echo; readlink leak etc-link; ls -a; find . -xdev -type f | sort',
    );
    expect(listing.stdout).toContain('note a\n/etc/shadow\n/etc\n');
    expect(listing.stdout).not.toMatch(/\bpipe\b/);
    expect(listing.stdout).not.toMatch(/lost\+found/);
    expect(
      listing.stdout
        .trim()
        .split('\n')
        .filter((line) => line.startsWith('./')),
    ).toEqual(['./notes/a.txt']);
    expect(await readlink(path.join(agentFolder, 'leak'))).toBe('/etc/shadow');
  });

  it('after a reboot (disk unmounted), mountAgentDisks shows the host what the agent wrote before any sandbox starts', async () => {
    const agentFolder = await folders.make('agent');
    const untouched = await folders.make('agent');
    const runtime = start();
    await bash(runtime, spec('before-reboot', agentFolder, 32), 'echo remembered > memory.md');
    await runtime.close();
    execFileSync('umount', [agentFolder]);
    await expect(readFile(path.join(agentFolder, 'memory.md'), 'utf8')).rejects.toThrow(/ENOENT/);
    const after = start();
    expect(await after.mountAgentDisks([agentFolder, untouched])).toBe(1);
    expect(await readFile(path.join(agentFolder, 'memory.md'), 'utf8')).toBe('remembered\n');
    expect(mountsUnder(untouched)).toEqual([]);
    expect(await after.mountAgentDisks([agentFolder])).toBe(0);
    expect(mountsUnder(agentFolder)).toEqual([agentFolder]);
  });

  it('refuses a folder that already holds more than its limit, and changes nothing', async () => {
    const agentFolder = await folders.make('agent');
    await writeFile(path.join(agentFolder, 'large.bin'), Buffer.alloc(24 * mebibyte, 1));
    const error = await errorOf(start().acquire(spec('too-big', agentFolder, 16)));
    expect(error.reason).toBe('disk_limit');
    expect(error.message).toMatch(/holds more than its size limit of 16 MiB: raise the limit/);
    expect(mountsUnder(agentFolder)).toEqual([]);
    expect((await stat(path.join(agentFolder, 'large.bin'))).size).toBe(24 * mebibyte);
    expect(readdirSync(imageFolder).filter((name) => name.includes('too-big') || name.startsWith('.agent'))).toEqual([]);
  });

  it('refuses with the packages to install when the tools are missing', async () => {
    const empty = await folders.make('no-tools');
    const error = await errorOf(
      start({ diskLimit: { imageFolder, toolDirectories: [empty] } }).acquire(spec('no-tools', await folders.make('agent'), 32)),
    );
    expect(error.reason).toBe('disk_limit');
    expect(error.message).toContain('needs mkfs.ext4, e2fsck, resize2fs, mount, umount, losetup');
    expect(error.message).toContain('apt-get install e2fsprogs mount');
    expect(error.message).toContain("diskLimit: 'unlimited'");
  });

  it('refuses to run without the limit when the gateway is not root, naming the fix', async () => {
    const agentFolder = await folders.make('agent');
    const answer = await probeDiskLimitAs(1000, {
      imageFolder: path.join(folders.base, 'user-disks'),
      agentFolder,
      image: testImage,
    });
    expect(answer.started).toBeUndefined();
    expect(answer.reason).toBe('disk_limit');
    expect(answer.message).toMatch(
      /needs root, and this process runs as uid 1000: run the gateway as root, or pass `diskLimit: 'unlimited'`/,
    );
    expect(mountsUnder(agentFolder)).toEqual([]);
  });

  it('refuses a factory call that does not say how agent folders are size-limited', () => {
    expect(() => createDockerRuntime({} as DockerRuntimeOptions)).toThrow(
      /option `diskLimit` is missing: choose how agent folders are size-limited/,
    );
  });
});
