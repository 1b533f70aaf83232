import type { ChildProcess } from 'node:child_process';

/**
 * Kills a detached child's whole process group with SIGKILL, again and again until no process is
 * left in it: a fork bomb keeps adding members while the first kill is delivered.
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
    if (Date.now() > end) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
