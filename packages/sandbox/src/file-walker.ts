import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** Directory names the walkers never enter. */
const skippedDirectories: ReadonlySet<string> = new Set(['.git', 'node_modules']);

/**
 * Yields the files below `directory` as `/`-separated paths relative to it, depth first in name
 * order. Symbolic links are yielded but never followed, so a walk cannot leave the workspace.
 */
export async function* walkFiles(directory: string, signal?: AbortSignal): AsyncGenerator<string> {
  const pending: string[] = [''];
  while (pending.length > 0) {
    if (signal?.aborted) return;
    const relative = pending.pop() as string;
    let entries: Dirent[];
    try {
      entries = await readdir(path.join(directory, relative), { withFileTypes: true });
    } catch {
      continue; // unreadable directories are skipped, not fatal
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
    const files: string[] = [];
    for (const entry of entries) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!skippedDirectories.has(entry.name)) pending.push(child);
      } else {
        files.push(child);
      }
    }
    for (const file of files.reverse()) yield file;
  }
}
