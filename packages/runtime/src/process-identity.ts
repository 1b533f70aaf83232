import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';

/**
 * Who a process is, in a form that survives pid reuse: its pid, when it started (clock ticks
 * since boot, from `/proc/<pid>/stat`), the boot it started in and the host's name.
 */
export interface ProcessIdentity {
  pid: number;
  /** Field 22 of `/proc/<pid>/stat`; empty where `/proc` is missing. */
  startTime: string;
  /** `/proc/sys/kernel/random/boot_id`; empty where `/proc` is missing. */
  bootId: string;
  host: string;
}

/**
 * Whether the process a record names still runs: true, false, or undefined when this machine cannot
 * tell (it ran on another host).
 */
export type ProcessAliveCheck = (owner: ProcessIdentity) => Promise<boolean | undefined>;

async function readText(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').then(
    (text) => text.trim(),
    () => undefined,
  );
}

/** Start time and state of a pid, or undefined when no such process exists (or no `/proc`). */
async function readStat(pid: number): Promise<{ startTime: string; state: string } | undefined> {
  const stat = await readText(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', startTime: fields[19] ?? '' };
}

/** The identity of a running process (this one by default). */
export async function readProcessIdentity(pid: number = process.pid): Promise<ProcessIdentity> {
  const [stat, bootId] = await Promise.all([readStat(pid), readText('/proc/sys/kernel/random/boot_id')]);
  return { pid, startTime: stat?.startTime ?? '', bootId: bootId ?? '', host: hostname() };
}

/**
 * Checks `/proc` on this host: a process of another boot, a pid that is gone, a zombie, or a pid now
 * held by a process that started at another time all count as gone. Records of other hosts are
 * undefined (unknown), never guessed.
 */
export const isProcessAlive: ProcessAliveCheck = async (owner) => {
  if (owner.host !== hostname()) return undefined;
  const bootId = await readText('/proc/sys/kernel/random/boot_id');
  if (bootId !== undefined && owner.bootId !== '' && bootId !== owner.bootId) return false;
  if (bootId === undefined || owner.startTime === '') return signalReaches(owner.pid);
  const stat = await readStat(owner.pid);
  if (stat === undefined || stat.state === 'Z' || stat.state === 'X') return false;
  return stat.startTime === owner.startTime;
};

function signalReaches(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
