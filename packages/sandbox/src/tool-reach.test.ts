import { chown, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findToolReach } from './tool-reach';

// A procfs tree as the kernel shows it to an unprivileged process: `self/status`, `self/fd/<n>`
// links naming pipes and sockets, `<pid>/fd` of the processes this uid may inspect, `<pid>/comm`.
const toolUid = 1000;
const selfPid = 100;
const noCapabilities = '0000000000000000';
const allCapabilities = '000001ffffffffff';

interface FakeProc {
  capBnd?: string;
  /** Whether the kernel hands `self/fd` to the process's own uid (it is dumpable) or to root. */
  dumpable?: boolean;
  stdio?: [string, string, string];
  /** Other processes: their open descriptors, or null when this uid may not list them. */
  others?: Record<number, { comm: string; fds: string[] | null }>;
}

let roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
  roots = [];
});

async function fakeProc(fake: FakeProc): Promise<string> {
  if (process.geteuid?.() !== 0) {
    throw new Error('[@ngb/sandbox] the tool reach tests give files to root and to another user, which needs root');
  }
  const root = await mkdtemp(path.join(os.tmpdir(), 'ngb-proc-'));
  roots.push(root);
  const status =
    fake.capBnd === undefined ? 'Name:\tnode\n' : `Name:\tnode\nCapEff:\t0000000000000000\nCapBnd:\t${fake.capBnd}\n`;
  await mkdir(path.join(root, 'self/fd'), { recursive: true });
  await writeFile(path.join(root, 'self/status'), status);
  const stdio = fake.stdio ?? ['pipe:[11]', 'pipe:[12]', 'pipe:[13]'];
  for (const [descriptor, target] of stdio.entries()) await symlink(target, path.join(root, `self/fd/${descriptor}`));
  await chown(path.join(root, 'self/fd'), fake.dumpable ? toolUid : 0, 0);
  // The process itself is listed too, holding its own stdio.
  const others = { [selfPid]: { comm: 'node', fds: stdio }, ...fake.others };
  for (const [pid, { comm, fds }] of Object.entries(others)) {
    await mkdir(path.join(root, pid), { recursive: true });
    await writeFile(path.join(root, pid, 'comm'), `${comm}\n`);
    if (fds === null) continue;
    await mkdir(path.join(root, pid, 'fd'));
    for (const [descriptor, target] of fds.entries()) await symlink(target, path.join(root, pid, 'fd', String(descriptor)));
  }
  return root;
}

const reach = async (fake: FakeProc) => findToolReach({ procRoot: await fakeProc(fake), uid: toolUid, pid: selfPid });

describe('findToolReach', () => {
  it('finds nothing within reach in a sandbox as the image builds it', async () => {
    const reasons = await reach({
      capBnd: noCapabilities,
      others: {
        1: { comm: 'tini', fds: null }, // its own uid's init, started from an execute-only binary
        200: { comm: 'bash', fds: ['/dev/null', 'pipe:[77]', 'pipe:[78]'] }, // a tool's own pipes
      },
    });
    expect(reasons).toEqual([]);
  });

  it('refuses root before anything else: every tool would run as root too', async () => {
    const reasons = await findToolReach({ procRoot: await fakeProc({ capBnd: noCapabilities }), uid: 0, pid: selfPid });
    expect(reasons).toEqual(['it runs as root, and so would every tool it starts; run it as a non-root user']);
  });

  it('refuses when CAP_SYS_PTRACE could be gained, or the bounding set cannot be read', async () => {
    const ptrace = /CAP_SYS_PTRACE is in its capability bounding set/;
    expect(await reach({ capBnd: allCapabilities })).toEqual([expect.stringMatching(ptrace)]);
    expect(await reach({ capBnd: '0000000000080000' })).toEqual([expect.stringMatching(ptrace)]);
    expect(await reach({})).toEqual([expect.stringMatching(ptrace)]);
    // Docker's default set (a80425fb) lacks CAP_SYS_PTRACE.
    expect(await reach({ capBnd: '00000000a80425fb' })).toEqual([]);
  });

  it('refuses a dumpable process, naming its pid', async () => {
    expect(await reach({ capBnd: noCapabilities, dumpable: true })).toEqual([
      expect.stringMatching(/^it is dumpable, so tools running as uid 1000 can open \/proc\/100\/fd/),
    ]);
  });

  it('refuses when another process this uid can inspect holds its stdio, naming it', async () => {
    const reasons = await reach({
      capBnd: noCapabilities,
      stdio: ['pipe:[11]', 'socket:[12]', '/dev/null'],
      others: {
        300: { comm: 'node', fds: ['/dev/null', 'socket:[12]'] },
        301: { comm: 'sh', fds: ['pipe:[11]', 'pipe:[11]'] },
        302: { comm: 'tini', fds: null },
      },
    });
    expect(reasons).toEqual([
      expect.stringMatching(/^process 300 \(node\) holds its stdio and tools running as uid 1000/),
      expect.stringMatching(/^process 301 \(sh\) holds its stdio/),
    ]);
  });

  it('looks for no holders when its stdio is a terminal or a file', async () => {
    const reasons = await reach({
      capBnd: noCapabilities,
      stdio: ['/dev/pts/0', '/dev/pts/0', '/tmp/log'],
      others: { 300: { comm: 'bash', fds: ['/dev/pts/0'] } },
    });
    expect(reasons).toEqual([]);
  });

  it('proves nothing without procfs', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'ngb-proc-'));
    roots.push(empty);
    expect(await findToolReach({ procRoot: empty, uid: toolUid, pid: selfPid })).toEqual([
      '/proc is not mounted, so nothing can be proved',
    ]);
  });

  it('finds a test worker within its tools reach (it runs as root, or is dumpable)', async () => {
    expect((await findToolReach()).length).toBeGreaterThan(0);
  });
});
