import { readdir, readFile, readlink, stat } from 'node:fs/promises';

// Tools run as this program's own uid. A process of the same uid may open another's
// /proc/<pid>/fd/1 and write into it, unless the target is not dumpable (proc(5), ptrace
// access mode checks) or the writer holds CAP_SYS_PTRACE. Whoever can write into the program's
// stdout can forge answers; whoever can read its stdin sees the requests. So the program proves,
// before it serves, that neither it nor any other holder of its stdio is within the tools' reach.

/** Capability number of CAP_SYS_PTRACE (linux/capability.h). */
const capSysPtrace = 19n;

/** Where {@link findToolReach} looks; each defaults to the running process. */
export interface ToolReachOptions {
  /** Where procfs is mounted. @default '/proc' */
  procRoot?: string;
  /** The effective uid of this process, and so of every tool it starts. @default process.geteuid() */
  uid?: number;
  /** This process's id, so that it does not count itself among its stdio's holders. @default process.pid */
  pid?: number;
}

/**
 * Says why the processes this program starts could reach its stdio (and so forge answers), by
 * asking the kernel what any process of this uid may do.
 * @returns the reasons, one sentence each; empty when its stdio is out of the tools' reach
 */
export async function findToolReach(options: ToolReachOptions = {}): Promise<string[]> {
  const proc = options.procRoot ?? '/proc';
  const pid = options.pid ?? process.pid;
  const uid = options.uid ?? process.geteuid?.();
  if (uid === undefined) return ['this platform has no user ids, so nothing can be proved'];
  if (uid === 0) return ['it runs as root, and so would every tool it starts; run it as a non-root user'];
  const status = await readFile(`${proc}/self/status`, 'utf8').catch(() => undefined);
  if (status === undefined) return ['/proc is not mounted, so nothing can be proved'];

  const reasons: string[] = [];
  const bounding = /^CapBnd:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  if (bounding === undefined || ((BigInt(`0x${bounding}`) >> capSysPtrace) & 1n) === 1n) {
    reasons.push('CAP_SYS_PTRACE is in its capability bounding set, so a tool could gain it; drop every capability');
  }
  // The kernel gives a process's /proc/<pid>/fd to root when the process is not dumpable.
  if ((await stat(`${proc}/self/fd`)).uid !== 0) {
    reasons.push(
      `it is dumpable, so tools running as uid ${uid} can open /proc/${pid}/fd; start it from an ` +
        'execute-only node binary (mode 0111, as the image does with /opt/ngb/sandbox/node)',
    );
  }
  const stdio = new Set<string>();
  for (const descriptor of [0, 1, 2]) {
    const target = await readlink(`${proc}/self/fd/${descriptor}`).catch(() => '');
    if (/^(pipe|socket|anon_inode):/.test(target)) stdio.add(target);
  }
  for (const holder of await otherHoldersWithinReach(proc, pid, stdio)) {
    reasons.push(
      `process ${holder.pid} (${holder.name}) holds its stdio and tools running as uid ${uid} can open its ` +
        '/proc/<pid>/fd; make that executable execute-only (mode 0111) or run it as another user',
    );
  }
  return reasons;
}

/** Processes other than `self` whose descriptors this uid can open and that share one of `stdio`. */
async function otherHoldersWithinReach(
  proc: string,
  self: number,
  stdio: ReadonlySet<string>,
): Promise<Array<{ pid: string; name: string }>> {
  if (stdio.size === 0) return [];
  const holders: Array<{ pid: string; name: string }> = [];
  for (const pid of await readdir(proc)) {
    if (!/^\d+$/.test(pid) || Number(pid) === self) continue;
    const descriptors = await readdir(`${proc}/${pid}/fd`).catch(() => undefined);
    if (descriptors === undefined) continue; // out of reach of this uid, and so of the tools
    for (const descriptor of descriptors) {
      if (!stdio.has(await readlink(`${proc}/${pid}/fd/${descriptor}`).catch(() => ''))) continue;
      const name = (await readFile(`${proc}/${pid}/comm`, 'utf8').catch(() => '?')).trim();
      holders.push({ pid, name });
      break;
    }
  }
  return holders;
}
