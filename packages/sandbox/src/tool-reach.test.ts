import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  allCapabilities,
  createFakeProc,
  type FakeProc,
  fakeProcPid,
  fakeProcUid,
  noCapabilities,
} from './__fixtures__/fake-proc';
import { findToolReach } from './tool-reach';

let roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
  roots = [];
});

async function fakeProc(fake: FakeProc): Promise<string> {
  const root = await createFakeProc(fake);
  roots.push(root);
  return root;
}

const toolUid = fakeProcUid;
const selfPid = fakeProcPid;

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
