import type { ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

/**
 * Kills a detached child's whole process group with SIGKILL, again and again until no live
 * process is left in it: a fork bomb keeps adding members while the first kill is delivered.
 * Zombies waiting for their parent to reap them do not count.
 * @returns once the group is empty or `deadlineMs` has passed
 */
export async function killProcessGroup(child: ChildProcess, deadlineMs = 2000): Promise<void> {
  const groupId = child.pid;
  if (groupId === undefined) return;
  const end = Date.now() + deadlineMs;
  for (;;) {
    try {
      process.kill(-groupId, 'SIGKILL');
    } catch {
      return; // ESRCH: nobody left in the group
    }
    if ((await liveMembers(groupId)) === 0 || Date.now() > end) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Live (non-zombie) processes of a group, from /proc; -1 when /proc cannot tell. */
async function liveMembers(groupId: number): Promise<number> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return -1;
  }
  let count = 0;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // Fields after the command name (which may hold spaces): state, ppid, pgrp, ...
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === groupId && fields[0] !== 'Z' && fields[0] !== 'X') count += 1;
  }
  return count;
}
