import {
  closeSync,
  existsSync,
  fchownSync,
  constants as fsConstants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readlinkSync,
  realpathSync,
  type Stats,
} from 'node:fs';
import { join } from 'node:path';

// The host's side of the rule "the agent folder is hostile": every folder on the way is opened
// without following links, then walked by descriptor (`/proc/self/fd/<fd>/<name>` is the opened
// folder itself, whatever its path has become), and every descriptor's real path is compared with
// the path expected, so a folder moved or swapped meanwhile is caught rather than written through.

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK, O_DIRECTORY } = fsConstants;

/** True where `/proc/self/fd` lets the host walk folders by descriptor (Linux). */
export const descriptorsAvailable = existsSync('/proc/self/fd');

/** The path through which a descriptor's folder (or file) is reached, whatever its name has become. */
export const descriptorPath = (descriptor: number) => `/proc/self/fd/${descriptor}`;

/** What a file-system entry is, in words, for a refusal. */
export function kindOf(stats: Stats): string {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isDirectory()) return 'a folder';
  return 'not a regular file';
}

/** lstat that returns the error instead of throwing it. */
export function lstatOrError(path: string): Stats | NodeJS.ErrnoException {
  try {
    return lstatSync(path);
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
}

/** Closes descriptors, newest first; closing one this process opened cannot fail in a way worth reporting. */
export function closeDescriptors(descriptors: number[]): void {
  for (const descriptor of descriptors.reverse()) {
    try {
      closeSync(descriptor);
    } catch {
      // Already closed or never valid: nothing to release.
    }
  }
  descriptors.length = 0;
}

/** A folder of an agent opened by descriptor. */
export interface OpenedFolder {
  descriptor: number;
  /** The real path it must have (checked after every open). */
  realPath: string;
  /** The path under the agent folder, for messages (`''` for the agent folder itself). */
  shown: string;
}

/** Why the host refused a path of an agent folder, in words for a person (and the agent). */
export interface PathRefusal {
  refused: string;
}

/** True for a {@link PathRefusal}. */
export const isRefusal = (value: object): value is PathRefusal => 'refused' in value;

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? String(error);

/**
 * Checks that an opened descriptor is still reached at `expected`: its real path, as the kernel
 * reports it, must be exactly that path.
 */
export function verifyDescriptor(descriptor: number, expected: string, shown: string): PathRefusal | undefined {
  let actual: string;
  try {
    actual = readlinkSync(descriptorPath(descriptor));
  } catch (error) {
    return { refused: `${shown} could not be checked (${errorCode(error)})` };
  }
  return actual === expected ? undefined : { refused: `${shown} was moved or replaced while it was opened` };
}

/** Describes why `name` in `parent` could not be opened as a folder. */
function folderRefusal(parentPath: string, name: string, shown: string, error: unknown): PathRefusal {
  const code = errorCode(error);
  // Linux answers ENOTDIR for a link opened with O_DIRECTORY: look, only to say what it is.
  if (code === 'ENOTDIR' || code === 'ELOOP') {
    const stats = lstatOrError(join(parentPath, name));
    if (!(stats instanceof Error)) return { refused: `${shown} is ${kindOf(stats)}, not a folder` };
  }
  if (code === 'ENOENT') return { refused: `${shown} does not exist` };
  return { refused: `${shown} cannot be opened (${code})` };
}

/**
 * Opens an agent folder (`agentsDirectory`, from the configuration, is trusted; the folder's own
 * entry is not followed if it is a link). Needs `/proc/self/fd`: without it the host cannot check
 * paths and refuses rather than write or read unchecked.
 * @param descriptors receives the descriptor, for the caller to close
 */
export function openAgentFolder(agentsDirectory: string, folder: string, descriptors: number[]): OpenedFolder | PathRefusal {
  if (!descriptorsAvailable)
    return { refused: 'this host has no /proc/self/fd to check paths of agent folders with (Linux only)' };
  const realPath = join(realpathSync(agentsDirectory), folder);
  let descriptor: number;
  try {
    descriptor = openSync(realPath, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK);
  } catch (error) {
    return folderRefusal(realpathSync(agentsDirectory), folder, 'the agent folder', error);
  }
  descriptors.push(descriptor);
  return verifyDescriptor(descriptor, realPath, 'the agent folder') ?? { descriptor, realPath, shown: '' };
}

/** Who should own what the host creates in an agent folder: its owner, when the host runs as root. */
export function ownerToGive(agentFolder: OpenedFolder): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const stats = fstatSync(agentFolder.descriptor);
  return stats.uid === 0 && stats.gid === 0 ? undefined : { uid: stats.uid, gid: stats.gid };
}

/**
 * Opens the folder `name` inside `parent` without following a link, creating it first when asked
 * (a link, a file or anything else in its place is refused, never replaced).
 * @param descriptors receives the descriptor, for the caller to close
 */
export function openChildFolder(
  parent: OpenedFolder,
  name: string,
  descriptors: number[],
  create?: { owner?: { uid: number; gid: number } },
): OpenedFolder | PathRefusal {
  const parentPath = descriptorPath(parent.descriptor);
  const path = join(parentPath, name);
  const shown = parent.shown === '' ? name : `${parent.shown}/${name}`;
  const open = () => openSync(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK);
  let descriptor: number;
  try {
    descriptor = open();
  } catch (error) {
    if (errorCode(error) !== 'ENOENT' || create === undefined) return folderRefusal(parentPath, name, shown, error);
    try {
      // mkdir never follows a link in its last component: a link planted meanwhile makes it fail.
      mkdirSync(path, 0o755);
      descriptor = open();
    } catch (again) {
      return folderRefusal(parentPath, name, shown, again);
    }
    descriptors.push(descriptor);
    if (create.owner) fchownSync(descriptor, create.owner.uid, create.owner.gid);
  }
  if (!descriptors.includes(descriptor)) descriptors.push(descriptor);
  const realPath = `${parent.realPath}/${name}`;
  return verifyDescriptor(descriptor, realPath, shown) ?? { descriptor, realPath, shown };
}

/** True when `part` is one plain name: not empty, not `.` or `..`, no separator and no NUL. */
export const isPlainName = (part: string) =>
  part !== '' && part !== '.' && part !== '..' && !part.includes('/') && !part.includes('\\') && !part.includes('\0');
