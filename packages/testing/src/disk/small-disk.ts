import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A small tmpfs of its own (mounting needs root, as in CI), which a test fills up and frees again. */
export interface SmallDisk {
  /** The mounted folder; undefined when mounting was refused. */
  folder: string | undefined;
  /** Writes zeros to a filler file until the filesystem has no room left. */
  fill(): void;
  /** Removes the filler: space returns. */
  free(): void;
  remove(): void;
}

/**
 * Mounts a tmpfs of `size` for a test named `name`. When mounting is refused (not root), `folder` is
 * undefined and the test skips itself, unless `required` (as in CI, where a skip would hide the test).
 */
export function mountSmallDisk(
  name: string,
  { size = '4m', required = false }: { size?: string; required?: boolean } = {},
): SmallDisk {
  const folder = mkdtempSync(join(tmpdir(), `ngb-${name}-`));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', folder]).status === 0;
  if (!mounted && required) throw new Error(`the ${name} test needs \`mount -t tmpfs\` (run as root)`);
  const filler = join(folder, 'filler');
  return {
    folder: mounted ? folder : undefined,
    fill() {
      const block = Buffer.alloc(64 * 1024);
      const descriptor = openSync(filler, 'w');
      try {
        for (let size = block.length; size > 0; ) {
          try {
            writeSync(descriptor, block, 0, size);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
            size = Math.floor(size / 2);
          }
        }
      } finally {
        closeSync(descriptor);
      }
    },
    free: () => unlinkSync(filler),
    remove() {
      // A process that still holds a file there (a gateway that would not stop) keeps the mount busy:
      // detach it then, so no test leaves a mount behind.
      if (mounted && spawnSync('umount', [folder]).status !== 0) spawnSync('umount', ['--lazy', folder]);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
