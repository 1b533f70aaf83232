import { constants as fsConstants, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '@ngb/plugin-sdk';
import {
  closeDescriptors,
  descriptorPath,
  isPlainName,
  isRefusal,
  kindOf,
  lstatOrError,
  type OpenedFolder,
  openAgentFolder,
  openChildFolder,
  verifyDescriptor,
} from './agent-folder-descriptors';
import { workspaceAgentPath } from './inbox-attachments';
import { formatBytes } from './save-inbox-file';

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = fsConstants;

/** What {@link readWorkspaceFile} found. */
export type WorkspaceFileRead =
  | { status: 'read'; data: Uint8Array; relativePath: string; name: string }
  | { status: 'refused'; reason: string };

/**
 * The parts of a path the agent gave, relative to its folder or absolute under `/workspace/agent`;
 * undefined when it leads anywhere else (`..`, another absolute path, a NUL).
 */
function workspaceParts(path: string): string[] | undefined {
  let relative = path;
  if (path.startsWith('/')) {
    if (!path.startsWith(`${workspaceAgentPath}/`)) return undefined;
    relative = path.slice(workspaceAgentPath.length + 1);
  }
  const parts = relative.split('/').filter((part) => part !== '' && part !== '.');
  return parts.length > 0 && parts.every(isPlainName) ? parts : undefined;
}

/**
 * Reads a file of an agent's workspace for the host to send on: folders opened without following
 * links and walked by descriptor, each checked against its expected real path; the file opened with
 * `O_NOFOLLOW | O_NONBLOCK`, a regular file by `fstat`, at most `maxBytes` bytes, read from the
 * descriptor that was checked.
 * @param path relative to the agent folder, or absolute under `/workspace/agent`
 * @returns the bytes, or the reason in words; never throws for what it finds on disk
 */
export function readWorkspaceFile(agentsDirectory: string, folder: string, path: string, maxBytes: number): WorkspaceFileRead {
  const parts = workspaceParts(path);
  if (!parts) return { status: 'refused', reason: `${path} is outside the workspace (${workspaceAgentPath})` };
  const relativePath = parts.join('/');
  const descriptors: number[] = [];
  try {
    let current: OpenedFolder | { refused: string } = openAgentFolder(agentsDirectory, folder, descriptors);
    for (const part of parts.slice(0, -1)) {
      if (isRefusal(current)) break;
      current = openChildFolder(current, part, descriptors);
    }
    if (isRefusal(current)) return { status: 'refused', reason: current.refused };
    const name = parts[parts.length - 1] as string;
    const filePath = join(descriptorPath(current.descriptor), name);
    // A first look, so that a FIFO or device is not even opened; fstat of the opened file decides.
    const first = lstatOrError(filePath);
    if (first instanceof Error)
      return {
        status: 'refused',
        reason: first.code === 'ENOENT' ? `${relativePath} does not exist` : `${relativePath} cannot be read (${first.code})`,
      };
    if (!first.isFile()) return { status: 'refused', reason: `${relativePath} is ${kindOf(first)}` };
    const descriptor = openSync(filePath, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    descriptors.push(descriptor);
    const stats = fstatSync(descriptor);
    if (!stats.isFile()) return { status: 'refused', reason: `${relativePath} is ${kindOf(stats)}` };
    const moved = verifyDescriptor(descriptor, `${current.realPath}/${name}`, relativePath);
    if (moved) return { status: 'refused', reason: moved.refused };
    const tooLarge = { status: 'refused', reason: `${relativePath} is larger than the ${formatBytes(maxBytes)} limit` } as const;
    if (stats.size > maxBytes) return tooLarge;
    // Read to the end, not to the size fstat gave: the file may grow meanwhile, and what was read counts.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      const read = readSync(descriptor, chunk, 0, chunk.length, null);
      if (read === 0) break;
      total += read;
      if (total > maxBytes) return tooLarge;
      chunks.push(chunk.subarray(0, read));
    }
    return { status: 'read', data: new Uint8Array(Buffer.concat(chunks, total)), relativePath, name };
  } catch (error) {
    return {
      status: 'refused',
      reason: `${relativePath} cannot be read (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`,
    };
  } finally {
    closeDescriptors(descriptors);
  }
}
