import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const maxEntries = 1000;

/** The shell's history file: one entry per line, oldest first. */
export interface ShellHistory {
  /** Entries newest first, as readline's `history` option wants them. */
  initial: string[];
  add(line: string): void;
}

/** Opens the history file (missing is fine); keeps its last 1000 entries. */
export function openShellHistory(path: string): ShellHistory {
  let entries: string[] = [];
  try {
    entries = readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
  } catch {
    entries = [];
  }
  if (entries.length > maxEntries) {
    entries = entries.slice(-maxEntries);
    try {
      writeFileSync(path, `${entries.join('\n')}\n`);
    } catch {
      // A history that cannot be trimmed is still usable.
    }
  }
  let last = entries.at(-1);
  return {
    initial: [...entries].reverse(),
    add(line) {
      const entry = line.replace(/\n/g, ' ').trim();
      if (entry === '' || entry === last) return;
      last = entry;
      try {
        mkdirSync(dirname(path), { recursive: true });
        appendFileSync(path, `${entry}\n`);
      } catch {
        // History is a convenience; never fail the shell over it.
      }
    },
  };
}
