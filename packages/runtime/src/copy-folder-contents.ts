import { constants, createWriteStream, type Stats } from 'node:fs';
import { chmod, lchown, lstat, lutimes, mkdir, open, readdir, readlink, symlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

/** What {@link copyFolderContents} copied and what it would not. */
export interface CopyReport {
  files: number;
  /** Paths (relative to the source) of FIFOs, sockets and devices, and of entries swapped while copying. */
  skipped: string[];
}

const noFollowDirectory = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;
// O_NONBLOCK: a FIFO swapped in after the check must not hang the gateway.
const noFollowFile = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Permission bits without set-user-id and set-group-id. */
const keptModeBits = 0o1777;

function isGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR' || code === 'ENXIO';
}

/**
 * Copies the contents of `source` into the empty folder `target`, never following a link: the
 * source is written by an agent and may hold links to anywhere on the host. Each directory is
 * opened without following links and its entries are reached through that open descriptor
 * (`/proc/self/fd/N/name`), so an entry swapped for a link while the copy runs is never followed.
 * Links are copied as links; FIFOs, sockets and devices are skipped. Owners, permission bits
 * (without set-id bits) and modification times are kept.
 * @throws the file system's error (ENOSPC when the target is too small)
 */
export async function copyFolderContents(source: string, target: string): Promise<CopyReport> {
  const report: CopyReport = { files: 0, skipped: [] };
  const top = await open(source, noFollowDirectory);
  try {
    await copyEntries(top.fd, target, '', report);
    await keepAttributes(target, await top.stat());
  } finally {
    await top.close();
  }
  return report;
}

async function copyEntries(directoryFd: number, target: string, relative: string, report: CopyReport): Promise<void> {
  const through = `/proc/self/fd/${directoryFd}`;
  for (const name of await readdir(through)) {
    const from = path.join(through, name);
    const to = path.join(target, name);
    const shown = path.join(relative, name);
    let stats: Stats;
    try {
      stats = await lstat(from);
    } catch (error) {
      if (isGone(error)) continue;
      throw error;
    }
    try {
      if (stats.isDirectory()) await copyDirectory(from, to, shown, report);
      else if (stats.isFile()) await copyFile(from, to, shown, report);
      else if (stats.isSymbolicLink()) {
        await symlink(await readlink(from), to);
        await lchown(to, stats.uid, stats.gid);
        await lutimes(to, stats.atime, stats.mtime);
      } else report.skipped.push(shown);
    } catch (error) {
      if (!isGone(error)) throw error;
      report.skipped.push(shown);
    }
  }
}

async function copyDirectory(from: string, to: string, shown: string, report: CopyReport): Promise<void> {
  const handle = await open(from, noFollowDirectory);
  try {
    await mkdir(to, { mode: 0o700 });
    await copyEntries(handle.fd, to, shown, report);
    await keepAttributes(to, await handle.stat());
  } finally {
    await handle.close();
  }
}

async function copyFile(from: string, to: string, shown: string, report: CopyReport): Promise<void> {
  const handle = await open(from, noFollowFile);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      report.skipped.push(shown);
      return;
    }
    await pipeline(handle.createReadStream({ autoClose: false }), createWriteStream(to, { flags: 'wx', mode: 0o600 }));
    await keepAttributes(to, stats);
    report.files += 1;
  } finally {
    await handle.close();
  }
}

async function keepAttributes(target: string, stats: Stats): Promise<void> {
  await lchown(target, stats.uid, stats.gid);
  await chmod(target, stats.mode & keptModeBits);
  await utimes(target, stats.atime, stats.mtime);
}
