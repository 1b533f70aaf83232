import { closeSync, fstatSync, openSync, readSync, statSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { rotatedLogFiles } from '@ngb/host';
import { LineAssembler, type LineLimits } from './truncated-line';

/** Reads bytes of an open file at a position: `fs.readSync`'s shape, injectable to count what is read. */
export type ReadAt = (descriptor: number, buffer: Buffer, offset: number, length: number, position: number) => number;

/** Options of {@link readLastLines}. */
export interface ReadLastLinesOptions extends Partial<LineLimits> {
  /** @default fs.readSync */
  readAt?: ReadAt;
}

const defaultChunkBytes = 64 * 1024;
const defaultMaxLineBytes = 64 * 1024;

function limits(options: Partial<LineLimits>): LineLimits {
  return { chunkBytes: options.chunkBytes ?? defaultChunkBytes, maxLineBytes: options.maxLineBytes ?? defaultMaxLineBytes };
}

/**
 * Reads one file backwards in fixed-size chunks, handing each line (newest first) to `take` until it
 * returns false. Each byte is read once, and a line longer than `maxLineBytes` keeps only its start,
 * so time is linear in the bytes read and memory is bounded whatever the lines' lengths.
 */
function readBackwards(
  descriptor: number,
  size: number,
  options: LineLimits & { readAt: ReadAt },
  take: (line: string) => boolean,
): void {
  // The line being read, from the current position to where it ends: its start is what is kept.
  const line = new LineAssembler(options.maxLineBytes);
  let position = size;
  let more = true;
  while (position > 0 && more) {
    const length = Math.min(options.chunkBytes, position);
    position -= length;
    const buffer = Buffer.allocUnsafe(length);
    const read = options.readAt(descriptor, buffer, 0, length, position);
    if (read <= 0) break;
    const chunk = buffer.subarray(0, read);
    let end = read;
    for (let newline = chunk.lastIndexOf(10, end - 1); newline !== -1 && more; newline = chunk.lastIndexOf(10, end - 1)) {
      line.prepend(chunk.subarray(newline + 1, end));
      if (!line.isEmpty()) more = take(line.text());
      line.reset();
      end = newline;
      if (end === 0) break;
    }
    if (more && end > 0) line.prepend(chunk.subarray(0, end));
  }
  if (more && position === 0 && !line.isEmpty()) take(line.text());
}

/**
 * The last `count` lines that `keep` accepts, oldest first, from the log at `path` and then from its
 * rotated files (`path.1`, `path.2`, ...). Read backwards in chunks: the time spent is linear in the
 * bytes between the end and the oldest line returned, and a line longer than `maxLineBytes` comes back
 * as its start with a truncation marker (see `truncated-line.ts`).
 * @returns the lines and the size of the file at `path` they were read up to (where following continues)
 */
export function readLastLines(
  path: string,
  count: number,
  keep: (line: string) => boolean = () => true,
  options: ReadLastLinesOptions = {},
): { lines: string[]; size: number } {
  const settings = { ...limits(options), readAt: options.readAt ?? readSync };
  const lines: string[] = [];
  let size = 0;
  for (const [index, file] of [path, ...rotatedLogFiles(path)].entries()) {
    if (lines.length >= count) break;
    let descriptor: number;
    try {
      descriptor = openSync(file, 'r');
    } catch {
      continue;
    }
    try {
      const fileSize = fstatSync(descriptor).size;
      if (index === 0) size = fileSize;
      readBackwards(descriptor, fileSize, settings, (line) => {
        if (keep(line)) lines.push(line);
        return lines.length < count;
      });
    } finally {
      closeSync(descriptor);
    }
  }
  return { lines: lines.reverse(), size };
}

/** The rotated files newer than the one with `inode`, oldest first; none when that file is gone. */
function rotatedSince(path: string, inode: number): string[] {
  const rotated = rotatedLogFiles(path);
  const index = rotated.findIndex((file) => statSync(file, { throwIfNoEntry: false })?.ino === inode);
  return index <= 0 ? [] : rotated.slice(0, index).reverse();
}

interface FollowedFile {
  descriptor: number;
  inode: number;
  position: number;
}

/**
 * Follows a file from `offset`: every complete line appended later is handed to `onLine` (a line
 * longer than `maxLineBytes` as its start with a truncation marker). When the file is rotated (renamed
 * away and a new one created), the rest of the old file is read before the new one; when it is
 * truncated, reading starts over. Uses `fs.watch` on the directory (so a file created or replaced
 * later is followed too); no timer.
 * @returns a function that stops following
 */
export function followLines(
  path: string,
  offset: number,
  onLine: (line: string) => void,
  options: Partial<LineLimits> = {},
): () => void {
  const { chunkBytes, maxLineBytes } = limits(options);
  const line = new LineAssembler(maxLineBytes);
  const chunk = Buffer.alloc(chunkBytes);
  let followed: FollowedFile | undefined;
  let startAt = offset;
  let reading = false;
  let again = false;

  const drain = (file: FollowedFile) => {
    for (;;) {
      const read = readSync(file.descriptor, chunk, 0, chunkBytes, file.position);
      if (read <= 0) return;
      file.position += read;
      let start = 0;
      for (let newline = chunk.indexOf(10, start); newline !== -1 && newline < read; newline = chunk.indexOf(10, start)) {
        line.append(chunk.subarray(start, newline));
        if (!line.isEmpty()) onLine(line.text());
        line.reset();
        start = newline + 1;
      }
      line.append(chunk.subarray(start, read));
    }
  };

  const readNew = () => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        if (followed === undefined) {
          let descriptor: number;
          try {
            descriptor = openSync(path, 'r');
          } catch {
            continue;
          }
          const stats = fstatSync(descriptor);
          followed = { descriptor, inode: stats.ino, position: stats.size >= startAt ? startAt : 0 };
          startAt = 0;
        }
        drain(followed);
        const current = statSync(path, { throwIfNoEntry: false });
        if (current === undefined) continue;
        if (current.ino !== followed.inode) {
          // Rotated: the rest of the old file has just been read; files rotated since then come next.
          closeSync(followed.descriptor);
          line.reset();
          for (const file of rotatedSince(path, followed.inode)) {
            let descriptor: number;
            try {
              descriptor = openSync(file, 'r');
            } catch {
              continue;
            }
            try {
              drain({ descriptor, inode: 0, position: 0 });
            } finally {
              closeSync(descriptor);
            }
            line.reset();
          }
          followed = undefined;
          again = true;
        } else if (current.size < followed.position) {
          followed.position = 0;
          line.reset();
          again = true;
        }
      } while (again);
    } finally {
      reading = false;
    }
  };

  const name = basename(path);
  const watcher = watch(dirname(path), (_event, filename) => {
    if (filename === null || filename === name || filename.startsWith(`${name}.`)) readNew();
  });
  readNew();
  return () => {
    watcher.close();
    if (followed !== undefined) closeSync(followed.descriptor);
    followed = undefined;
  };
}
