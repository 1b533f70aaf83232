import { randomBytes } from 'node:crypto';
import { fchownSync, constants as fsConstants, linkSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ChannelApiError, errorMessage } from '@ngb/plugin-sdk';
import {
  closeDescriptors,
  descriptorPath,
  isRefusal,
  kindOf,
  lstatOrError,
  type OpenedFolder,
  openAgentFolder,
  openChildFolder,
  ownerToGive,
  verifyDescriptor,
} from './agent-folder-descriptors';

const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fsConstants;

/** What {@link saveInboxFile} is asked to save. */
export interface InboxFileRequest {
  agentsDirectory: string;
  /** The agent's folder name (one plain name under `agentsDirectory`). */
  folder: string;
  /** The date folder, `yyyy-mm-dd`. */
  date: string;
  /** A safe file name (see `safeFileName`), the same on every try for the same attachment. */
  fileName: string;
  /** The most bytes written; the download is counted and stops past it. */
  maxBytes: number;
  /** Opens the download (the channel's `fetchAttachment`). */
  download: () => Promise<AsyncIterable<Uint8Array>>;
}

/** What became of one file. */
export type InboxFileResult =
  | { status: 'saved'; relativePath: string; bytes: number }
  /** A regular file already has the name: an earlier try of the turn saved it (nothing downloaded). */
  | { status: 'present'; relativePath: string }
  | { status: 'refused'; reason: string };

class TooLarge extends Error {}

/**
 * Saves a download to `inbox/<date>/<fileName>` in an agent folder, treating the folder as hostile:
 * `inbox` and the date folder are created or opened without following links and walked by
 * descriptor, each checked against its expected real path; the file is written to a fresh name
 * created with `O_EXCL | O_NOFOLLOW`, counted while written (never trusting an announced size), and
 * only a complete file is linked to its name (link never replaces what is there). A link at any
 * step is refused, and a refused or failed download leaves no file behind.
 * @returns the path under the agent folder, or the reason in words; never throws for what it finds
 */
export async function saveInboxFile(request: InboxFileRequest): Promise<InboxFileResult> {
  const descriptors: number[] = [];
  try {
    const agentFolder = openAgentFolder(request.agentsDirectory, request.folder, descriptors);
    if (isRefusal(agentFolder)) return { status: 'refused', reason: agentFolder.refused };
    const owner = ownerToGive(agentFolder);
    const inbox = openChildFolder(agentFolder, 'inbox', descriptors, { owner });
    if (isRefusal(inbox)) return { status: 'refused', reason: inbox.refused };
    const day = openChildFolder(inbox, request.date, descriptors, { owner });
    if (isRefusal(day)) return { status: 'refused', reason: day.refused };
    const relativePath = `${day.shown}/${request.fileName}`;
    const existing = lstatOrError(join(descriptorPath(day.descriptor), request.fileName));
    if (!(existing instanceof Error)) {
      if (existing.isFile()) return { status: 'present', relativePath };
      return { status: 'refused', reason: `${relativePath} is ${kindOf(existing)}` };
    }
    if (existing.code !== 'ENOENT') return { status: 'refused', reason: `${relativePath} cannot be checked (${existing.code})` };
    return await writeThenLink(request, day, relativePath, owner);
  } catch (error) {
    return {
      status: 'refused',
      reason: `the inbox cannot be written (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`,
    };
  } finally {
    closeDescriptors(descriptors);
  }
}

async function writeThenLink(
  request: InboxFileRequest,
  day: OpenedFolder,
  relativePath: string,
  owner: { uid: number; gid: number } | undefined,
): Promise<InboxFileResult> {
  const partialName = `.download-${randomBytes(8).toString('hex')}`;
  const folderPath = descriptorPath(day.descriptor);
  const partialPath = join(folderPath, partialName);
  const descriptor = openSync(partialPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644);
  try {
    const moved = verifyDescriptor(descriptor, `${day.realPath}/${partialName}`, relativePath);
    if (moved) return { status: 'refused', reason: moved.refused };
    if (owner) fchownSync(descriptor, owner.uid, owner.gid);
    let bytes: number;
    try {
      bytes = await writeCounted(descriptor, await request.download(), request.maxBytes);
    } catch (error) {
      if (error instanceof TooLarge) return { status: 'refused', reason: error.message };
      if (ChannelApiError.isInstance(error) && error.status === 413)
        return {
          status: 'refused',
          reason: `larger than the ${formatBytes(request.maxBytes)} limit (by the size the platform announced)`,
        };
      return { status: 'refused', reason: `the download failed (${errorMessage(error)})` };
    }
    // The folders were checked before the download: check again, the download took time.
    const swapped = verifyDescriptor(day.descriptor, day.realPath, day.shown);
    if (swapped) return { status: 'refused', reason: swapped.refused };
    try {
      // link, unlike rename, never replaces what is at the name: a file planted meanwhile stays and wins.
      linkSync(partialPath, join(folderPath, request.fileName));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return {
        status: 'refused',
        reason: `${relativePath} ${code === 'EEXIST' ? 'appeared while it was downloaded' : `cannot be created (${code})`}`,
      };
    }
    return { status: 'saved', relativePath, bytes };
  } finally {
    // The partial name goes in every case: after the link the file lives on under its own name.
    closeDescriptors([descriptor]);
    try {
      unlinkSync(partialPath);
    } catch {
      // Gone already (the agent may remove it): nothing is left behind either way.
    }
  }
}

async function writeCounted(descriptor: number, chunks: AsyncIterable<Uint8Array>, maxBytes: number): Promise<number> {
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.length;
    if (total > maxBytes) throw new TooLarge(`larger than the ${formatBytes(maxBytes)} limit`);
    let offset = 0;
    while (offset < chunk.length) offset += writeSync(descriptor, chunk, offset, chunk.length - offset);
  }
  return total;
}

/** `20 MiB`, `512 KiB` or `300 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return bytes === 1 ? '1 byte' : `${bytes} bytes`;
}
