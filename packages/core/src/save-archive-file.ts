import { fchownSync, constants as fsConstants, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  closeDescriptors,
  descriptorPath,
  isPlainName,
  isRefusal,
  openAgentFolder,
  openChildFolder,
  ownerToGive,
  verifyDescriptor,
} from './agent-folder-descriptors';

const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fsConstants;

/** What {@link saveArchiveFile} is asked to write. */
export interface ArchiveFileRequest {
  agentsDirectory: string;
  /** The agent's folder name (one plain name under `agentsDirectory`). */
  folder: string;
  sessionId: string;
  /** `yyyy-mm-dd`: the file is `archive/<session>/<date>.md`, or `<date>-<n>.md` when that exists. */
  date: string;
  text: string;
}

/**
 * Writes an archived transcript to `archive/<session>/<date>.md` in an agent folder, which is
 * hostile: every folder is opened without following links and checked by descriptor (see
 * `agent-folder-descriptors`), and the file is a new one (`O_EXCL | O_NOFOLLOW`): a name already
 * taken, by an earlier compaction or by anything planted, is never written through; the next
 * free `-<n>` name is used.
 * @returns the path under the agent folder, or the reason in words; never throws for what it finds
 */
export function saveArchiveFile(request: ArchiveFileRequest): { path: string } | { refused: string } {
  if (!isPlainName(request.sessionId) || !isPlainName(request.date))
    return { refused: 'the session id or date is not a plain name' };
  const descriptors: number[] = [];
  try {
    const agentFolder = openAgentFolder(request.agentsDirectory, request.folder, descriptors);
    if (isRefusal(agentFolder)) return agentFolder;
    const owner = ownerToGive(agentFolder);
    const archive = openChildFolder(agentFolder, 'archive', descriptors, { owner });
    if (isRefusal(archive)) return archive;
    const session = openChildFolder(archive, request.sessionId, descriptors, { owner });
    if (isRefusal(session)) return session;
    for (let attempt = 1; attempt <= 100; attempt += 1) {
      const name = attempt === 1 ? `${request.date}.md` : `${request.date}-${attempt}.md`;
      let descriptor: number;
      try {
        descriptor = openSync(join(descriptorPath(session.descriptor), name), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw error;
      }
      descriptors.push(descriptor);
      const moved = verifyDescriptor(descriptor, `${session.realPath}/${name}`, `${session.shown}/${name}`);
      if (moved) return moved;
      if (owner) fchownSync(descriptor, owner.uid, owner.gid);
      const bytes = Buffer.from(request.text, 'utf8');
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(descriptor, bytes, offset, bytes.length - offset);
      return { path: `${session.shown}/${name}` };
    }
    return { refused: `${session.shown} holds 100 archives of ${request.date} already` };
  } catch (error) {
    return { refused: `the archive cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  } finally {
    closeDescriptors(descriptors);
  }
}
