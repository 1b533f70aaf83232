import { constants } from 'node:fs';
import { type FileHandle, lchown, lstat, open, readdir, readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { SandboxError, systemFolders } from '@ngb/plugin-sdk';

/** The container user when none is configured: the host user, or uid 1000 when the host user is root. */
export function defaultContainerUser(): string {
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  return uid === 0 ? '1000:1000' : `${uid}:${gid}`;
}

/** The home folder of the user the gateway runs as, from the user database (not the environment). */
function homeFolder(): string | undefined {
  try {
    return userInfo().homedir;
  } catch {
    return undefined;
  }
}

const isSameOrInside = (path: string, folder: string) => path === folder || path.startsWith(`${folder}${sep}`);

/**
 * Why a folder cannot be an agent folder that a sandbox gets read-write, or undefined when it can:
 * `/`, a folder right under `/` (what an agents folder of `/` yields), a system folder, a home
 * folder.
 */
export function agentFolderLocationProblem(folder: string): string | undefined {
  if (folder === '/' || dirname(folder) === '/') return 'a top-level folder of this machine (is the agents folder "/"?)';
  const system = systemFolders.find((tree) => isSameOrInside(folder, tree));
  if (system !== undefined) return `inside the system folder ${system}`;
  if (dirname(folder) === '/home' || folder === homeFolder()) return 'a home folder';
  return undefined;
}

/** Mount points strictly inside `folder`, from the mount table (Linux; none elsewhere). */
async function mountPointsInside(folder: string): Promise<Set<string>> {
  const table = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  const points = new Set<string>();
  for (const line of table.split('\n')) {
    const field = line.split(' ')[4];
    if (field === undefined) continue;
    // The table escapes spaces, tabs, newlines and backslashes as octal.
    const point = field.replace(/\\([0-7]{3})/g, (_, code: string) => String.fromCharCode(Number.parseInt(code, 8)));
    if (point.startsWith(`${folder}${sep}`)) points.add(point);
  }
  return points;
}

/**
 * Makes an agent folder the container user's when the gateway runs as root, so a sandbox that
 * never runs as root can still write its workspace. Only the folder's own tree is touched: links
 * are changed, never followed (directories are opened with `O_NOFOLLOW` and walked through their
 * descriptors, so a directory swapped for a link meanwhile is not entered); other file systems and
 * mount points inside it are skipped; files with more than one hard link (which may be a system
 * file linked in) keep their owner. The folder itself is changed last, so an interrupted hand-over
 * is resumed by the next one, and a folder that is already the user's is not walked again.
 * Without root nothing can be changed, and the folder already belongs to the host user the
 * container runs as.
 * @param folder the agent folder, symbolic links resolved
 * @throws SandboxError `invalid_input` when the folder is `/`, a top-level, system or home folder
 */
export async function handOverAgentFolder(folder: string, user: string): Promise<void> {
  const problem = agentFolderLocationProblem(folder);
  if (problem !== undefined) {
    throw new SandboxError('invalid_input', `[@ngb/runtime] refusing ${folder} as an agent folder: it is ${problem}`);
  }
  if ((process.getuid?.() ?? -1) !== 0) return;
  const [uid = 1000, gid = uid] = user.split(':').map(Number);
  const top = await open(folder, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  try {
    const stats = await top.stat();
    if (stats.uid === uid && stats.gid === gid) return;
    const skipped = await mountPointsInside(folder);
    const owned = (entry: { uid: number; gid: number }) => entry.uid === uid && entry.gid === gid;
    const walk = async (directory: FileHandle, path: string): Promise<void> => {
      // `/proc/self/fd/<fd>` is the opened directory itself, whatever its path has become since.
      const base = `/proc/self/fd/${directory.fd}`;
      for (const name of await readdir(base)) {
        const entryPath = join(path, name);
        const entry = await lstat(join(base, name)).catch(() => undefined);
        if (entry === undefined || entry.dev !== stats.dev || skipped.has(entryPath)) continue;
        if (!entry.isDirectory()) {
          if (!owned(entry) && (entry.isSymbolicLink() || entry.nlink === 1)) await lchown(join(base, name), uid, gid);
          continue;
        }
        const child = await open(join(base, name), constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW).catch(
          () => undefined,
        );
        if (child === undefined) continue;
        try {
          const opened = await child.stat();
          if (opened.dev !== entry.dev || opened.ino !== entry.ino) continue;
          await walk(child, entryPath);
          if (!owned(opened)) await child.chown(uid, gid);
        } finally {
          await child.close();
        }
      }
    };
    await walk(top, folder);
    await top.chown(uid, gid);
  } finally {
    await top.close();
  }
}
