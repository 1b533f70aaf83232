import { closeSync, fstatSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LogLevel } from '@ngb/plugin-sdk';
import { errorMessage } from '@ngb/plugin-sdk';
import { rotateLogFiles } from './rotate-log-files';

/** Log levels from most to least verbose. */
export const logLevels: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Appends JSON lines to the gateway's structured log. */
export interface LogSink {
  /** Records below this level are dropped. */
  readonly level: LogLevel;
  /** True when a record of `level` would be written. */
  accepts(level: LogLevel): boolean;
  /**
   * Writes one record as one line (dropped when its `level` is below the sink's). Synchronous, so
   * nothing is lost when the process exits.
   */
  write(record: Record<string, unknown> & { level: LogLevel }): void;
  close(): void;
}

/** Options of {@link openLogSink}. */
export interface LogSinkOptions {
  /** @default 'info' */
  level?: LogLevel;
  /** A line that would take the file past this size goes to a fresh file. @default 10 MiB */
  maxFileBytes?: number;
  /** Files kept, the current one included (`gateway.jsonl`, `.1`, `.2`, ...). @default 3 */
  maxFiles?: number;
}

// Defaults, also in the config schema.
const defaultMaxLogFileBytes = 10 * 1024 * 1024;
const defaultMaxLogFiles = 3;

interface OpenFile {
  descriptor: number;
  inode: number;
}

function openFile(path: string): OpenFile {
  const descriptor = openSync(path, 'a');
  return { descriptor, inode: fstatSync(descriptor).ino };
}

function serialize(record: Record<string, unknown>): string {
  try {
    return JSON.stringify(record);
  } catch {
    return JSON.stringify({
      time: record.time,
      level: record.level,
      msg: String(record.msg ?? record.event),
      unserializable: true,
    });
  }
}

/**
 * Opens (creating it and its directory) the log file for appending. Several processes (`serve`, `run`,
 * `shell`) append to the same file: each checks before a write whether another one rotated it, and
 * follows to the new file.
 */
export function openLogSink(path: string, options: LogSinkOptions = {}): LogSink {
  const level = options.level ?? 'info';
  const threshold = logLevels.indexOf(level);
  const maxFileBytes = options.maxFileBytes ?? defaultMaxLogFileBytes;
  const maxFiles = options.maxFiles ?? defaultMaxLogFiles;
  mkdirSync(dirname(path), { recursive: true });
  let file: OpenFile | undefined = openFile(path);
  let rotationError: string | undefined;
  // Records a full disk (or another write error) kept out of the file, told there once it takes writes again.
  let lost: { count: number; error: string } | undefined;

  // The file at `path` and its size, reopened first when another process rotated it away.
  const current = (open: OpenFile): { file: OpenFile; size: number } => {
    try {
      const stats = statSync(path);
      if (stats.ino === open.inode) return { file: open, size: stats.size };
    } catch {}
    closeSync(open.descriptor);
    const reopened = openFile(path);
    return { file: reopened, size: fstatSync(reopened.descriptor).size };
  };

  const rotate = (open: OpenFile): OpenFile => {
    closeSync(open.descriptor);
    try {
      // Another process may have rotated it a moment ago: then the fresh file is not full.
      if (statSync(path, { throwIfNoEntry: false })?.ino === open.inode) rotateLogFiles(path, maxFiles);
    } catch (error) {
      // Logging must not stop the gateway: keep appending to the full file, and say so in it.
      rotationError = errorMessage(error);
    }
    return openFile(path);
  };

  const accepts = (recordLevel: LogLevel) => logLevels.indexOf(recordLevel) >= threshold;

  return {
    level,
    accepts,
    write(record) {
      if (file === undefined || !accepts(record.level)) return;
      const line = `${serialize(record)}\n`;
      const checked = current(file);
      file = checked.file;
      if (checked.size > 0 && checked.size + Buffer.byteLength(line) > maxFileBytes) file = rotate(file);
      // A full disk must not stop whoever logs (a channel's poll loop, a turn): the record is lost,
      // the console echo still shows it, and the file says how many were lost once it can.
      try {
        if (lost !== undefined) {
          const note = { time: record.time, level: 'warn', msg: 'log records lost', count: lost.count, error: lost.error };
          writeSync(file.descriptor, `${JSON.stringify(note)}\n`);
          lost = undefined;
        }
        if (rotationError !== undefined) {
          const note = { time: record.time, level: 'warn', msg: 'log rotation failed', error: rotationError };
          rotationError = undefined;
          writeSync(file.descriptor, `${JSON.stringify(note)}\n`);
        }
        writeSync(file.descriptor, line);
      } catch (error) {
        lost = { count: (lost?.count ?? 0) + 1, error: errorMessage(error) };
      }
    },
    close() {
      if (file !== undefined) closeSync(file.descriptor);
      file = undefined;
    },
  };
}
