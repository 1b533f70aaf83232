import { isUtf8 } from 'node:buffer';
import { constants as fsConstants, fstatSync, lstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { errorMessage } from '@ngb/plugin-sdk';
import {
  closeDescriptors,
  descriptorPath,
  descriptorsAvailable,
  isPlainName,
  kindOf,
  lstatOrError,
} from './agent-folder-descriptors';

/** The default cap on what the host reads of one agent file: 64 KiB. */
export const defaultAgentFileMaxBytes = 64 * 1024;

/** Why the host refused to read a file of an agent folder. */
export type AgentFileRefusal = 'symlink' | 'not-regular' | 'bad-path' | 'unreadable';

/** What {@link readAgentFile} found. */
export type AgentFileRead =
  | {
      status: 'read';
      /** The text, at most `maxBytes` bytes of UTF-8 (a character cut by the cap is dropped). */
      text: string;
      /** True when the file holds more than `maxBytes` bytes. */
      truncated: boolean;
      /**
       * Present when a file read whole is not valid UTF-8 (`text` then holds U+FFFD in place of
       * invalid bytes, or drops them at the end); a truncated file is not checked.
       */
      invalidUtf8?: true;
    }
  | { status: 'missing' }
  | {
      status: 'refused';
      reason: AgentFileRefusal;
      /** One line for a person, naming the path under the agents folder, such as `main/AGENTS.md is a symbolic link`. */
      detail: string;
    };

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK, O_DIRECTORY } = fsConstants;

function refused(reason: AgentFileRefusal, detail: string): AgentFileRead {
  return { status: 'refused', reason, detail };
}

function describeOpenError(error: unknown, shown: string, kind: 'folder' | 'file'): AgentFileRead {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { status: 'missing' };
  if (code === 'ELOOP') return refused('symlink', `${shown} is a symbolic link`);
  if (code === 'ENOTDIR') return refused('not-regular', `${shown} is not a ${kind}`);
  return refused('unreadable', `${shown} cannot be read (${code ?? errorMessage(error)})`);
}

function readCapped(descriptor: number, maxBytes: number): { text: string; truncated: boolean; invalidUtf8?: true } {
  const buffer = Buffer.allocUnsafe(maxBytes + 1);
  let filled = 0;
  while (filled < buffer.length) {
    const bytesRead = readSync(descriptor, buffer, filled, buffer.length - filled, null);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  const truncated = filled > maxBytes;
  // StringDecoder keeps an incomplete trailing character back instead of emitting U+FFFD.
  const text = new StringDecoder('utf8').write(buffer.subarray(0, Math.min(filled, maxBytes)));
  if (!truncated && !isUtf8(buffer.subarray(0, filled))) return { text, truncated, invalidUtf8: true };
  return { text, truncated };
}

/** Opens the parent folders of `parts` without following links; returns the folder to open the file in. */
function openParents(
  agentsDirectory: string,
  parts: readonly string[],
  descriptors: number[],
  byDescriptor: boolean,
): { folder: string } | AgentFileRead {
  let folder = agentsDirectory;
  for (let index = 0; index < parts.length - 1; index += 1) {
    const shown = parts.slice(0, index + 1).join('/');
    const path = join(folder, parts[index] as string);
    if (!byDescriptor) {
      const stats = lstatOrError(path);
      if (stats instanceof Error) return describeOpenError(stats, shown, 'folder');
      if (!stats.isDirectory())
        return refused(stats.isSymbolicLink() ? 'symlink' : 'not-regular', `${shown} is ${kindOf(stats)}`);
      folder = path;
      continue;
    }
    try {
      const descriptor = openSync(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK);
      descriptors.push(descriptor);
      folder = descriptorPath(descriptor);
    } catch (error) {
      // Linux answers ENOTDIR for a link opened with O_DIRECTORY: look, only to say what it is.
      const code = (error as NodeJS.ErrnoException).code;
      const stats = code === 'ENOTDIR' || code === 'ELOOP' ? lstatOrError(path) : undefined;
      if (stats && !(stats instanceof Error))
        return refused(stats.isSymbolicLink() ? 'symlink' : 'not-regular', `${shown} is ${kindOf(stats)}`);
      return describeOpenError(error, shown, 'folder');
    }
  }
  return { folder };
}

/**
 * Reads a file of an agent folder the way the host must read anything an agent can write: no
 * symbolic link is followed (neither the file nor a folder on the way under `agentsDirectory`),
 * only a regular file is read (never a FIFO, device or socket, which could block or never end),
 * and at most `maxBytes` bytes are read. `agentsDirectory` itself comes from the configuration
 * and is trusted.
 * @param relativePath the path under `agentsDirectory`, `/`-separated, such as `main/AGENTS.md`
 * @param options.maxBytes the most bytes to read; a longer file comes back `truncated`
 * @param options.byDescriptor walk the folders by descriptor through `/proc/self/fd`, so a folder
 *   swapped for a link meanwhile cannot redirect the read; without it each folder is checked with
 *   lstat before and after the open. @default true where `/proc/self/fd` exists
 * @returns the text, `missing`, or `refused` with the reason; never throws for what it finds on disk
 */
export async function readAgentFile(
  agentsDirectory: string,
  relativePath: string,
  options: { maxBytes: number; byDescriptor?: boolean },
): Promise<AgentFileRead> {
  const byDescriptor = options.byDescriptor ?? descriptorsAvailable;
  const parts = relativePath.split('/');
  if (!parts.every(isPlainName)) return refused('bad-path', `${relativePath} is not a plain path inside the agents folder`);
  // Synchronous calls: a capped read of a local file costs microseconds, where each asynchronous
  // call would wait its turn in the thread pool (this runs before every model call).
  const descriptors: number[] = [];
  try {
    const parents = openParents(agentsDirectory, parts, descriptors, byDescriptor);
    if ('status' in parents) return parents;
    const name = parts[parts.length - 1] as string;
    const path = join(parents.folder, name);
    // A first look, so that a FIFO or device is not even opened; fstat of the opened file decides.
    const first = lstatOrError(path);
    if (first instanceof Error) return describeOpenError(first, relativePath, 'file');
    if (!first.isFile())
      return refused(first.isSymbolicLink() ? 'symlink' : 'not-regular', `${relativePath} is ${kindOf(first)}`);
    let descriptor: number;
    try {
      descriptor = openSync(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    } catch (error) {
      return describeOpenError(error, relativePath, 'file');
    }
    descriptors.push(descriptor);
    const stats = fstatSync(descriptor);
    if (!stats.isFile()) return refused('not-regular', `${relativePath} is ${kindOf(stats)}`);
    if (!byDescriptor) {
      const again = verifyPath(agentsDirectory, parts, stats);
      if (again) return again;
    }
    return { status: 'read', ...readCapped(descriptor, options.maxBytes) };
  } catch (error) {
    return refused(
      'unreadable',
      `${relativePath} cannot be read (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`,
    );
  } finally {
    closeDescriptors(descriptors);
  }
}

// Without descriptors: after the open, the path must still lead, through no link, to the file opened.
function verifyPath(
  agentsDirectory: string,
  parts: readonly string[],
  opened: { dev: number; ino: number },
): AgentFileRead | undefined {
  let path = agentsDirectory;
  for (const [index, part] of parts.entries()) {
    path = join(path, part);
    const stats = lstatSync(path);
    const last = index === parts.length - 1;
    if (stats.isSymbolicLink() || (!last && !stats.isDirectory()))
      return refused('symlink', `${parts.slice(0, index + 1).join('/')} changed while it was read`);
    if (last && (stats.dev !== opened.dev || stats.ino !== opened.ino))
      return refused('symlink', `${parts.join('/')} changed while it was read`);
  }
  return undefined;
}
