import { createHash, randomBytes } from 'node:crypto';
import { lstat, mkdir, realpath, rename, rm, rmdir, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Logger, SandboxError } from '@ngb/plugin-sdk';
import { copyFolderContents } from './copy-folder-contents';
import { type DiskTools, findDiskTools, runDiskTool } from './disk-tools';
import { lockFile } from './file-lock';
import { loopBackingFile, topMountAt } from './mount-table';
import type { ProcessAliveCheck, ProcessIdentity } from './process-identity';

/** What {@link createAgentDisks} needs. */
export interface AgentDisksOptions {
  /** Host folder of the image files, outside every agent folder. */
  imageFolder: string;
  /** Where `mkfs.ext4`, `e2fsck`, `resize2fs`, `mount` and `umount` are looked for. */
  toolDirectories: readonly string[];
  owner: () => Promise<ProcessIdentity>;
  processAlive: ProcessAliveCheck;
  /** Whether a container (running or about to) has the folder mounted now: it must not be unmounted then. */
  folderInUse: (folder: string) => Promise<boolean>;
  logger: Logger;
}

/** The size limits of agent folders: one loop-mounted ext4 image per agent folder. */
export interface AgentDisks {
  /**
   * Checks that this process may mount (root) and that the tools exist; makes the image folder.
   * @throws SandboxError `disk_limit` saying what is missing and how to fix it
   */
  setUp(): Promise<void>;
  /**
   * Makes sure the agent folder is its disk image, mounted: made on first use (the folder's content
   * copied in), grown when the limit was raised, mounted when it is not (already mounted: reused).
   * Holds the image until the returned function is called, so that no gateway on this host grows
   * it while a container is being created on it.
   * @throws SandboxError `disk_limit` with the reason
   */
  hold(agentFolder: string, limitMb: number): Promise<() => Promise<void>>;
}

const mebibyte = 1024 * 1024;

function diskError(message: string, cause?: unknown): SandboxError {
  return new SandboxError('disk_limit', `[@ngb/runtime] ${message}`, { cause });
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Creates the size limits of agent folders kept in `imageFolder`. */
export function createAgentDisks(options: AgentDisksOptions): AgentDisks {
  const { logger } = options;
  let tools: DiskTools | undefined;
  let imageFolder = options.imageFolder;
  const queues = new Map<string, Promise<unknown>>();
  const warned = new Set<string>();

  const warnOnce = (key: string, message: string, fields: Record<string, unknown>) => {
    if (warned.has(key)) return;
    warned.add(key);
    logger.warn(message, fields);
  };

  const run = (program: string, args: readonly string[], fineExitCodes?: readonly number[]) =>
    runDiskTool(program, args, { fineExitCodes });

  /** True when the folder shows its image; throws when something else is mounted there. */
  const isMounted = async (agentFolder: string, image: string): Promise<boolean> => {
    const top = await topMountAt(agentFolder);
    if (!top) return false;
    if (top.fsType === 'ext4' && (await loopBackingFile(top.source)) === image) return true;
    throw diskError(
      `the agent folder ${agentFolder} is already a mount point (${top.fsType} from ${top.source}), not of its disk image ${image}: ` +
        `unmount it (\`umount ${agentFolder}\`) so that its size limit can be set up`,
    );
  };

  const create = async (agentFolder: string, image: string, bytes: number, key: string, used: DiskTools) => {
    const suffix = randomBytes(4).toString('hex');
    const staged = path.join(imageFolder, `.${key}.${suffix}.img`);
    const stagingMount = path.join(imageFolder, `.${key}.${suffix}.mnt`);
    let mounted = false;
    try {
      await writeFile(staged, '', { flag: 'wx', mode: 0o600 });
      await truncate(staged, bytes);
      await run(used.mkfs, ['-q', '-F', '-m', '0', '-E', 'lazy_itable_init=1,lazy_journal_init=1', staged]);
      await mkdir(stagingMount, { mode: 0o700 });
      await run(used.mount, ['-o', 'loop,nosuid,nodev,noexec', staged, stagingMount]);
      mounted = true;
      await rm(path.join(stagingMount, 'lost+found'), { recursive: true, force: true });
      const report = await copyFolderContents(agentFolder, stagingMount);
      if (report.skipped.length > 0)
        logger.warn('entries of the agent folder not copied to its disk image (not files, folders or links)', {
          agentFolder,
          skipped: report.skipped.slice(0, 20),
        });
      await run(used.umount, [stagingMount]);
      mounted = false;
      await rename(staged, image);
      logger.info('made the disk image of an agent folder', {
        agentFolder,
        image,
        limitMb: bytes / mebibyte,
        files: report.files,
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOSPC') {
        throw diskError(
          `the agent folder ${agentFolder} holds more than its size limit of ${bytes / mebibyte} MiB: raise the limit or make room; nothing was changed`,
          error,
        );
      }
      throw diskError(`could not make the disk image of the agent folder ${agentFolder}: ${(error as Error).message}`, error);
    } finally {
      if (mounted) await run(used.umount, ['-l', stagingMount]).catch(() => undefined);
      await rmdir(stagingMount).catch(() => undefined);
      await rm(staged, { force: true });
    }
  };

  const grow = async (agentFolder: string, image: string, from: number, to: number, used: DiskTools) => {
    try {
      await truncate(image, to);
      await run(used.e2fsck, ['-f', '-p', image], [0, 1]);
      await run(used.resize2fs, [image]);
      logger.info('grew the disk image of an agent folder', { agentFolder, fromMb: from / mebibyte, toMb: to / mebibyte });
    } catch (error) {
      await truncate(image, from).catch(() => undefined);
      throw diskError(
        `could not grow the disk image ${image} of the agent folder ${agentFolder}: ${(error as Error).message}`,
        error,
      );
    }
  };

  /** Unmounts to grow; false when something still uses the folder. */
  const unmountToGrow = async (agentFolder: string, used: DiskTools): Promise<boolean> => {
    if (await options.folderInUse(agentFolder)) return false;
    return run(used.umount, [agentFolder]).then(
      () => true,
      () => false,
    );
  };

  const ensure = async (agentFolder: string, image: string, limitMb: number, key: string, used: DiskTools) => {
    const bytes = limitMb * mebibyte;
    let mounted = await isMounted(agentFolder, image);
    const size = (await stat(image).catch(() => undefined))?.size;
    if (size === undefined) {
      if (mounted) throw diskError(`the disk image ${image} of the mounted agent folder ${agentFolder} is gone`);
      await create(agentFolder, image, bytes, key, used);
    } else if (bytes > size) {
      if (mounted) mounted = !(await unmountToGrow(agentFolder, used));
      if (mounted) {
        warnOnce(`grow:${key}:${limitMb}`, 'the agent folder keeps its old size limit until no sandbox uses it', {
          agentFolder,
          limitMb: size / mebibyte,
          wantedMb: limitMb,
        });
      } else await grow(agentFolder, image, size, bytes, used);
    } else if (bytes < size) {
      warnOnce(`shrink:${key}:${limitMb}`, 'a disk image is never shrunk: the agent folder keeps its larger size limit', {
        agentFolder,
        limitMb: size / mebibyte,
        wantedMb: limitMb,
      });
    }
    if (mounted) return;
    await run(used.mount, ['-o', 'loop,nosuid,nodev', image, agentFolder]).catch((error: unknown) => {
      throw diskError(
        `could not mount the disk image ${image} on the agent folder ${agentFolder}: ${(error as Error).message}`,
        error,
      );
    });
    // e2fsck may have made lost+found again; the agent has no use for it (and cannot make a root-owned one).
    const lostAndFound = path.join(agentFolder, 'lost+found');
    const found = await lstat(lostAndFound).catch(() => undefined);
    if (found?.isDirectory() && found.uid === 0) await rmdir(lostAndFound).catch(() => undefined);
  };

  return {
    async setUp() {
      const uid = process.getuid?.();
      if (uid !== 0) {
        throw diskError(
          `the size limit of agent folders loop-mounts a disk image per agent, which needs root, and this process runs as ${uid === undefined ? 'a user without uids' : `uid ${uid}`}: ` +
            "run the gateway as root, or pass `diskLimit: 'unlimited'` to let agents write without a limit",
        );
      }
      tools = await findDiskTools(options.toolDirectories);
      await mkdir(options.imageFolder, { recursive: true, mode: 0o700 });
      imageFolder = await realpath(options.imageFolder);
    },

    async hold(agentFolder, limitMb) {
      const used = tools;
      if (!used) throw diskError('the disk images are not set up (setUp first)');
      if (isInside(imageFolder, agentFolder)) {
        throw diskError(`the disk images (${imageFolder}) must be kept outside the agent folder ${agentFolder}`);
      }
      const digest = createHash('sha256').update(agentFolder).digest('hex').slice(0, 12);
      const key = `${path.basename(agentFolder)}-${digest}`;
      const image = path.join(imageFolder, `${key}.img`);
      const earlier = queues.get(key) ?? Promise.resolve();
      let releaseQueue = () => {};
      const mine = new Promise<void>((resolve) => {
        releaseQueue = resolve;
      });
      const queued = earlier.then(() => mine);
      queues.set(key, queued);
      await earlier;
      let unlock: (() => Promise<void>) | undefined;
      try {
        unlock = await lockFile(path.join(imageFolder, `${key}.lock`), {
          owner: await options.owner(),
          processAlive: options.processAlive,
        });
        await ensure(agentFolder, image, limitMb, key, used);
      } catch (error) {
        await unlock?.();
        releaseQueue();
        if (queues.get(key) === queued) queues.delete(key);
        throw error;
      }
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        await unlock?.();
        releaseQueue();
        if (queues.get(key) === queued) queues.delete(key);
      };
    },
  };
}
