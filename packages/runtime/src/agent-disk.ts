import { createHash } from 'node:crypto';
import { mkdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@ngb/plugin-sdk';
import { errorMessage } from '@ngb/plugin-sdk';
import { diskError, growDiskImage, makeDiskImage, mebibyte, mountDiskImage } from './disk-image';
import { type DiskTools, findDiskTools, runDiskTool } from './disk-tools';
import { lockFile } from './file-lock';
import { loopBackingFile, topMountAt } from './mount-table';
import type { ProcessAliveCheck, ProcessIdentity } from './process-identity';

/** What {@link createAgentDisks} needs. */
export interface AgentDisksOptions {
  /** Host folder of the image files, outside every agent folder. */
  imageFolder: string;
  /** Where `mkfs.ext4`, `e2fsck`, `resize2fs`, `mount`, `umount` and `losetup` are looked for. */
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
  /**
   * Mounts the agent folder's disk image when one exists and is not mounted (after a reboot), so the
   * host reads what the agent wrote; makes no image.
   * @returns whether it mounted one
   * @throws SandboxError `disk_limit` with the reason
   */
  mountExisting(agentFolder: string): Promise<boolean>;
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

  /** Unmounts to grow; says why not when something still uses the folder. */
  const unmountToGrow = async (agentFolder: string, used: DiskTools): Promise<string | undefined> => {
    if (await options.folderInUse(agentFolder)) return 'a container uses it';
    // A container removed a moment ago may keep the mount busy briefly.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await runDiskTool(used.umount, [agentFolder]);
        return undefined;
      } catch (error) {
        if (attempt >= 10) return errorMessage(error);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  };

  const ensure = async (agentFolder: string, image: string, limitMb: number, key: string, used: DiskTools) => {
    const bytes = limitMb * mebibyte;
    let mounted = await isMounted(agentFolder, image);
    const size = (await stat(image).catch(() => undefined))?.size;
    if (size === undefined) {
      if (mounted) throw diskError(`the disk image ${image} of the mounted agent folder ${agentFolder} is gone`);
      await makeDiskImage({
        tools: used,
        logger,
        source: agentFolder,
        image,
        bytes,
        stagingName: path.join(imageFolder, `.${key}`),
      });
    } else if (bytes > size) {
      const busy = mounted ? await unmountToGrow(agentFolder, used) : undefined;
      if (busy === undefined) {
        mounted = false;
        // The image keeps its old size when growing fails: the smaller limit still holds.
        await growDiskImage({ tools: used, logger, agentFolder, image, from: size, to: bytes }).catch((error: unknown) =>
          logger.error('could not grow the disk image of an agent folder; it keeps its old size limit', {
            agentFolder,
            limitMb: size / mebibyte,
            wantedMb: limitMb,
            error,
          }),
        );
      } else {
        warnOnce(`grow:${key}:${limitMb}`, 'the agent folder keeps its old size limit until nothing uses it', {
          agentFolder,
          limitMb: size / mebibyte,
          wantedMb: limitMb,
          why: busy,
        });
      }
    } else if (bytes < size) {
      warnOnce(`shrink:${key}:${limitMb}`, 'a disk image is never shrunk: the agent folder keeps its larger size limit', {
        agentFolder,
        limitMb: size / mebibyte,
        wantedMb: limitMb,
      });
    }
    if (!mounted) await mountDiskImage(used, image, agentFolder);
  };

  /** Runs `work` on the folder's image holding it (in this process and against other processes); returns the release. */
  const holdImage = async (
    agentFolder: string,
    work: (image: string, key: string, used: DiskTools) => Promise<void>,
  ): Promise<() => Promise<void>> => {
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
    const release = async () => {
      await unlock?.();
      releaseQueue();
      if (queues.get(key) === queued) queues.delete(key);
    };
    try {
      unlock = await lockFile(path.join(imageFolder, `${key}.lock`), {
        owner: await options.owner(),
        processAlive: options.processAlive,
      });
      await work(image, key, used);
    } catch (error) {
      await release();
      throw error;
    }
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      await release();
    };
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
      return holdImage(agentFolder, (image, key, used) => ensure(agentFolder, image, limitMb, key, used));
    },

    async mountExisting(agentFolder) {
      const folder = await realpath(agentFolder);
      let mounted = false;
      const release = await holdImage(folder, async (image, _key, used) => {
        if ((await stat(image).catch(() => undefined)) === undefined || (await isMounted(folder, image))) return;
        await mountDiskImage(used, image, folder);
        mounted = true;
      });
      await release();
      return mounted;
    },
  };
}
