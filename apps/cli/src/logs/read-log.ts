import { closeSync, openSync, readSync, statSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * The last `count` lines of a file that `keep` accepts, oldest first, read backwards in chunks
 * (a long log is never read whole).
 * @returns the lines and the file size they were read up to (where following continues)
 */
export function readLastLines(
  path: string,
  count: number,
  keep: (line: string) => boolean = () => true,
): { lines: string[]; size: number } {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return { lines: [], size: 0 };
  }
  const descriptor = openSync(path, 'r');
  try {
    const lines: string[] = [];
    let position = size;
    let carry = '';
    const chunkSize = 64 * 1024;
    while (position > 0 && lines.length < count) {
      const length = Math.min(chunkSize, position);
      position -= length;
      const buffer = Buffer.alloc(length);
      readSync(descriptor, buffer, 0, length, position);
      const parts = (buffer.toString('utf8') + carry).split('\n');
      carry = parts.shift() ?? '';
      for (let index = parts.length - 1; index >= 0 && lines.length < count; index -= 1) {
        const line = parts[index] ?? '';
        if (line !== '' && keep(line)) lines.push(line);
      }
    }
    if (position === 0 && carry !== '' && lines.length < count && keep(carry)) lines.push(carry);
    return { lines: lines.reverse(), size };
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Follows a file from `offset`: every complete line appended later is handed to `onLine`. Uses
 * `fs.watch` on the directory (so a file created or replaced later is followed too); no timer.
 * @returns a function that stops following
 */
export function followLines(path: string, offset: number, onLine: (line: string) => void): () => void {
  let position = offset;
  let partial = '';
  let reading = false;
  let again = false;
  const readNew = () => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        let size: number;
        try {
          size = statSync(path).size;
        } catch {
          continue;
        }
        if (size < position) {
          position = 0;
          partial = '';
        }
        if (size === position) continue;
        const descriptor = openSync(path, 'r');
        try {
          const buffer = Buffer.alloc(size - position);
          const read = readSync(descriptor, buffer, 0, buffer.length, position);
          position += read;
          const parts = (partial + buffer.subarray(0, read).toString('utf8')).split('\n');
          partial = parts.pop() ?? '';
          for (const line of parts) if (line !== '') onLine(line);
        } finally {
          closeSync(descriptor);
        }
      } while (again);
    } finally {
      reading = false;
    }
  };
  const name = basename(path);
  const watcher = watch(dirname(path), (_event, filename) => {
    if (filename === null || filename === name) readNew();
  });
  readNew();
  return () => watcher.close();
}
