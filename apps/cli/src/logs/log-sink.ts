import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Appends JSON lines to the gateway's structured log. */
export interface LogSink {
  /** Writes one record as one line. Synchronous, so nothing is lost when the process exits. */
  write(record: Record<string, unknown>): void;
  close(): void;
}

/** Opens (creating it and its directory) the log file for appending. */
export function openLogSink(path: string): LogSink {
  mkdirSync(dirname(path), { recursive: true });
  let descriptor: number | undefined = openSync(path, 'a');
  return {
    write(record) {
      if (descriptor === undefined) return;
      let line: string;
      try {
        line = JSON.stringify(record);
      } catch {
        line = JSON.stringify({
          time: record.time,
          level: record.level,
          msg: String(record.msg ?? record.event),
          unserializable: true,
        });
      }
      writeSync(descriptor, `${line}\n`);
    },
    close() {
      if (descriptor !== undefined) closeSync(descriptor);
      descriptor = undefined;
    },
  };
}
