import { lstatSync, readlinkSync, type Stats, statSync } from 'node:fs';
import { displayPath } from '@ngb/host';
import { fail } from '../cli-error';

/**
 * Whether `path` already holds the folder or file `ngb init` would create there; false when
 * nothing is there. When something else is in the way, stops the command with one line saying
 * what and how to fix it (never a raw `EEXIST`): a symbolic link where links are not allowed (in
 * the agents folder the gateway reads nothing through links), a link whose target is missing, or
 * an entry of the other kind.
 */
export function existingEntry(path: string, kind: 'folder' | 'file', options: { linksAllowed: boolean }): boolean {
  let entry: Stats;
  try {
    entry = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const shown = displayPath(path);
  const again = `then run \`ngb init\` again`;
  if (entry.isSymbolicLink()) {
    const target = readlinkSync(path);
    let resolved: Stats | undefined;
    try {
      resolved = statSync(path);
    } catch {
      resolved = undefined;
    }
    if (!options.linksAllowed)
      fail(
        `${shown} is a symbolic link (to ${target}${resolved ? '' : ', which does not exist'}); the gateway reads nothing through links in the agents folder: remove it (rm ${shown}), ${again}`,
      );
    if (!resolved)
      fail(
        `${shown} is a symbolic link to ${target}, which does not exist: create ${target} or remove the link (rm ${shown}), ${again}`,
      );
    entry = resolved;
  }
  if (kind === 'folder' ? !entry.isDirectory() : !entry.isFile())
    fail(`${shown} exists but is not a ${kind === 'folder' ? 'folder' : 'regular file'}: move it away, ${again}`);
  return true;
}
