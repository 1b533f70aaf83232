import { chown, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

// A procfs tree as the kernel shows it to an unprivileged process: `self/status`, `self/fd/<n>`
// links naming pipes and sockets, `<pid>/fd` of the processes this uid may inspect, `<pid>/comm`.

/** The uid the fake process and its tools run as. */
export const fakeProcUid = 1000;
/** The fake process's own pid. */
export const fakeProcPid = 100;
export const noCapabilities = '0000000000000000';
export const allCapabilities = '000001ffffffffff';

export interface FakeProc {
  /** The `CapBnd` line of `self/status`; none when undefined. */
  capBnd?: string;
  /** Whether the kernel hands `self/fd` to the process's own uid (it is dumpable) or to root. */
  dumpable?: boolean;
  stdio?: [string, string, string];
  /** Other processes: their open descriptors, or null when this uid may not list them. */
  others?: Record<number, { comm: string; fds: string[] | null }>;
}

/**
 * Writes the tree into a new temporary directory (the caller removes it); needs root, which gives
 * `self/fd` to root or to {@link fakeProcUid} as the kernel would.
 */
export async function createFakeProc(fake: FakeProc): Promise<string> {
  if (process.geteuid?.() !== 0) {
    throw new Error('[@ngb/sandbox] the tool reach tests give files to root and to another user, which needs root');
  }
  const root = await mkdtemp(path.join(os.tmpdir(), 'ngb-proc-'));
  const status = fake.capBnd === undefined ? 'Name:\tnode\n' : `Name:\tnode\nCapEff:\t0000000000000000\nCapBnd:\t${fake.capBnd}\n`;
  await mkdir(path.join(root, 'self/fd'), { recursive: true });
  await writeFile(path.join(root, 'self/status'), status);
  const stdio = fake.stdio ?? ['pipe:[11]', 'pipe:[12]', 'pipe:[13]'];
  for (const [descriptor, target] of stdio.entries()) await symlink(target, path.join(root, `self/fd/${descriptor}`));
  await chown(path.join(root, 'self/fd'), fake.dumpable ? fakeProcUid : 0, 0);
  // The process itself is listed too, holding its own stdio.
  const others = { [fakeProcPid]: { comm: 'node', fds: stdio }, ...fake.others };
  for (const [pid, { comm, fds }] of Object.entries(others)) {
    await mkdir(path.join(root, pid), { recursive: true });
    await writeFile(path.join(root, pid, 'comm'), `${comm}\n`);
    if (fds === null) continue;
    await mkdir(path.join(root, pid, 'fd'));
    for (const [descriptor, target] of fds.entries()) await symlink(target, path.join(root, pid, 'fd', String(descriptor)));
  }
  return root;
}
