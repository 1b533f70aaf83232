import { chownSync, statSync } from 'node:fs';

/** The uid and gid the sandbox runs tools as (the Docker runtime's default user). */
export const sandboxUser = { uid: 1000, gid: 1000 } as const;

/**
 * Gives a freshly created agent folder (and the files in it) to the sandbox user when `ngb` runs
 * as root, so the agent can write in its own folder; a normal user's files are left alone
 * (for the usual first user, uid 1000, they already match).
 */
export function handToSandboxUser(paths: readonly string[]): void {
  if (process.getuid?.() !== 0) return;
  for (const path of paths) chownSync(path, sandboxUser.uid, sandboxUser.gid);
}

/** Whether the sandbox user can write in a folder, judged from its owner and mode. */
export function sandboxCanWrite(path: string): boolean {
  const stat = statSync(path);
  if (stat.uid === sandboxUser.uid) return (stat.mode & 0o200) !== 0;
  if (stat.gid === sandboxUser.gid) return (stat.mode & 0o020) !== 0;
  return (stat.mode & 0o002) !== 0;
}
