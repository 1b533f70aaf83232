import { lchown, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The container user when none is configured: the host user, or uid 1000 when the host user is root. */
export function defaultContainerUser(): string {
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  return uid === 0 ? '1000:1000' : `${uid}:${gid}`;
}

/**
 * Makes the agent folder the container user's when the gateway runs as root, so a sandbox that
 * never runs as root can still write its workspace. Entries already owned by that user are left
 * alone; symbolic links are changed, never followed. Without root nothing can be changed, and the
 * folder already belongs to the host user the container runs as. A folder that is already the user's is
 * not walked again.
 */
export async function handOverAgentFolder(folder: string, user: string): Promise<void> {
  if ((process.getuid?.() ?? -1) !== 0) return;
  const [uid = 1000, gid = uid] = user.split(':').map(Number);
  // Once handed over, the folder stays the user's: starting a sandbox then costs one stat, not a walk.
  const top = await lstat(folder);
  if (top.uid === uid && top.gid === gid) return;
  const visit = async (path: string): Promise<void> => {
    const stats = await lstat(path);
    if (stats.uid !== uid || stats.gid !== gid) await lchown(path, uid, gid);
    if (stats.isDirectory()) {
      for (const entry of await readdir(path)) await visit(join(path, entry));
    }
  };
  await visit(folder);
}
