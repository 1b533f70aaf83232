import { readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

function rotatedIndexes(path: string): number[] {
  const name = basename(path);
  let entries: string[];
  try {
    entries = readdirSync(dirname(path));
  } catch {
    return [];
  }
  const indexes: number[] = [];
  for (const entry of entries) {
    if (!entry.startsWith(`${name}.`)) continue;
    const suffix = entry.slice(name.length + 1);
    if (/^[1-9][0-9]{0,5}$/.test(suffix)) indexes.push(Number(suffix));
  }
  return indexes.sort((a, b) => a - b);
}

/** The rotated files of the log at `path` that exist (`path.1`, `path.2`, ...), newest first. */
export function rotatedLogFiles(path: string): string[] {
  return rotatedIndexes(path).map((index) => join(dirname(path), `${basename(path)}.${index}`));
}

/**
 * Moves the log at `path` to `path.1`, `path.1` to `path.2`, and so on, so that `maxFiles` files are
 * left counting the fresh one the caller opens next; older ones (also those left by a larger
 * `maxFiles` earlier) are deleted. With `maxFiles` 1 the log is deleted.
 */
export function rotateLogFiles(path: string, maxFiles: number): void {
  const indexes = rotatedIndexes(path);
  for (const index of indexes) if (index >= maxFiles - 1) rmSync(`${path}.${index}`, { force: true });
  for (let index = Math.min(maxFiles - 1, (indexes.at(-1) ?? 0) + 1); index >= 2; index -= 1) {
    if (indexes.includes(index - 1)) renameSync(`${path}.${index - 1}`, `${path}.${index}`);
  }
  if (maxFiles >= 2) renameSync(path, `${path}.1`);
  else rmSync(path, { force: true });
}
