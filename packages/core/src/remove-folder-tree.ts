import { readdirSync, rmdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import {
  closeDescriptors,
  descriptorPath,
  isRefusal,
  type OpenedFolder,
  openChildFolder,
  type PathRefusal,
} from './agent-folder-descriptors';

/**
 * Removes `name` from an opened folder of an agent, and everything under it, by descriptor: each
 * path is `/proc/self/fd/<folder>/<one name>`, so a folder swapped for a link while this runs can
 * never lead the removal outside (`rm -r` by path would follow it). A link is removed, never
 * followed.
 * @returns a refusal when something could not be removed (what was removed stays removed)
 */
export function removeFolderTree(parent: OpenedFolder, name: string): PathRefusal | undefined {
  const path = join(descriptorPath(parent.descriptor), name);
  const shown = parent.shown === '' ? name : `${parent.shown}/${name}`;
  try {
    unlinkSync(path);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    // Linux answers EISDIR for a folder; other systems EPERM.
    if (code !== 'EISDIR' && code !== 'EPERM') return { refused: `${shown} cannot be removed (${code})` };
  }
  const descriptors: number[] = [];
  try {
    const folder = openChildFolder(parent, name, descriptors);
    if (isRefusal(folder)) return folder;
    for (const entry of readdirSync(descriptorPath(folder.descriptor))) {
      const refusal = removeFolderTree(folder, entry);
      if (refusal) return refusal;
    }
    rmdirSync(path);
    return undefined;
  } catch (error) {
    return { refused: `${shown} cannot be removed (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  } finally {
    closeDescriptors(descriptors);
  }
}
