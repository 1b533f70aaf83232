import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseMountInfo } from '../mount-table';

/** Mount points at or below `base`, deepest last. */
export function mountsUnder(base: string): string[] {
  return parseMountInfo(readFileSync('/proc/self/mountinfo', 'utf8'))
    .map((entry) => entry.mountPoint)
    .filter((mountPoint) => mountPoint === base || mountPoint.startsWith(`${base}${path.sep}`));
}

/** Unmounts every mount at or below `base` (test teardown: no mount is ever left behind). */
export function unmountUnder(base: string): void {
  for (const mountPoint of mountsUnder(base).reverse()) execFileSync('umount', [mountPoint]);
}
