import { randomBytes } from 'node:crypto';
import { lstat, mkdir, rename, rm, rmdir, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage, type Logger, SandboxError } from '@ngb/plugin-sdk';
import { copyFolderContents } from './copy-folder-contents';
import { type DiskTools, runDiskTool } from './disk-tools';

/** The work on one ext4 image file: make, grow, mount. Callers hold the image's lock. */
export interface DiskImageWork {
  tools: DiskTools;
  logger: Logger;
}

export const mebibyte = 1024 * 1024;

/** A `disk_limit` error with the package prefix. */
export function diskError(message: string, cause?: unknown): SandboxError {
  return new SandboxError('disk_limit', `[@ngb/runtime] ${message}`, { cause });
}

/**
 * Waits until no loop device is attached to the image any more (an unmount lets it go
 * asynchronously): a later mount would reuse a lingering one, with its stale cache and old size.
 */
async function detachLoops(tools: DiskTools, image: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    const attached = (await runDiskTool(tools.losetup, ['-j', image]))
      .split('\n')
      .map((line) => line.slice(0, line.indexOf(':')))
      .filter((device) => /^\/dev\/loop\d+$/.test(device));
    if (attached.length === 0) return;
    if (attempt >= 25) throw new Error(`the loop devices ${attached.join(', ')} of ${image} stay attached`);
    for (const device of attached) await runDiskTool(tools.losetup, ['-d', device]).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Makes the image of an agent folder: a sparse file of `bytes`, ext4, the folder's content copied
 * in (never following a link) through a mount beside it, then moved to `image` in one rename.
 * @param stagingName path prefix (in the image folder) for the image and mount point being made
 * @throws SandboxError `disk_limit`; when the content does not fit, nothing is changed
 */
export async function makeDiskImage(
  work: DiskImageWork & { source: string; image: string; bytes: number; stagingName: string },
): Promise<void> {
  const { tools, logger, source, image, bytes } = work;
  const suffix = randomBytes(4).toString('hex');
  const staged = `${work.stagingName}.${suffix}.img`;
  const stagingMount = `${work.stagingName}.${suffix}.mnt`;
  let mounted = false;
  try {
    await writeFile(staged, '', { flag: 'wx', mode: 0o600 });
    await truncate(staged, bytes);
    await runDiskTool(tools.mkfs, ['-q', '-F', '-m', '0', '-E', 'lazy_itable_init=1,lazy_journal_init=1', staged]);
    await mkdir(stagingMount, { mode: 0o700 });
    await runDiskTool(tools.mount, ['-o', 'loop,nosuid,nodev,noexec', staged, stagingMount]);
    mounted = true;
    await rm(path.join(stagingMount, 'lost+found'), { recursive: true, force: true });
    const report = await copyFolderContents(source, stagingMount);
    if (report.skipped.length > 0) {
      logger.warn('entries of the agent folder not copied to its disk image (not files, folders or links)', {
        agentFolder: source,
        skipped: report.skipped.slice(0, 20),
      });
    }
    await runDiskTool(tools.umount, [stagingMount]);
    mounted = false;
    await detachLoops(tools, staged);
    await rename(staged, image);
    logger.info('made the disk image of an agent folder', {
      agentFolder: source,
      image,
      limitMb: bytes / mebibyte,
      files: report.files,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOSPC') {
      throw diskError(
        `the agent folder ${source} holds more than its size limit of ${bytes / mebibyte} MiB: raise the limit or make room; nothing was changed`,
        error,
      );
    }
    throw diskError(`could not make the disk image of the agent folder ${source}: ${errorMessage(error)}`, error);
  } finally {
    if (mounted) await runDiskTool(tools.umount, ['-l', stagingMount]).catch(() => undefined);
    await rmdir(stagingMount).catch(() => undefined);
    await rm(staged, { force: true });
  }
}

/**
 * Grows an unmounted image from `from` to `to` bytes (checked first, as resize2fs wants); on
 * failure the file gets its old size back.
 * @throws SandboxError `disk_limit`
 */
export async function growDiskImage(
  work: DiskImageWork & { agentFolder: string; image: string; from: number; to: number },
): Promise<void> {
  const { tools, image, from, to } = work;
  try {
    await detachLoops(tools, image);
    await truncate(image, to);
    await runDiskTool(tools.e2fsck, ['-f', '-p', image], { fineExitCodes: [0, 1] });
    await runDiskTool(tools.resize2fs, [image]);
    work.logger.info('grew the disk image of an agent folder', {
      agentFolder: work.agentFolder,
      fromMb: from / mebibyte,
      toMb: to / mebibyte,
    });
  } catch (error) {
    await truncate(image, from).catch(() => undefined);
    throw diskError(
      `could not grow the disk image ${image} of the agent folder ${work.agentFolder}: ${errorMessage(error)}`,
      error,
    );
  }
}

/**
 * Mounts the image at the agent folder (no set-id programs, no devices).
 * @throws SandboxError `disk_limit`
 */
export async function mountDiskImage(tools: DiskTools, image: string, agentFolder: string): Promise<void> {
  await runDiskTool(tools.mount, ['-o', 'loop,nosuid,nodev', image, agentFolder]).catch((error: unknown) => {
    throw diskError(`could not mount the disk image ${image} on the agent folder ${agentFolder}: ${errorMessage(error)}`, error);
  });
  // e2fsck may have made lost+found again; the agent has no use for it (and cannot make a root-owned one).
  const lostAndFound = path.join(agentFolder, 'lost+found');
  const found = await lstat(lostAndFound).catch(() => undefined);
  if (found?.isDirectory() && found.uid === 0) await rmdir(lostAndFound).catch(() => undefined);
}
