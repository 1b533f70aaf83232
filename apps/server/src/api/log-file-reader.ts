import { open, stat } from 'node:fs/promises';
import { type LogLevel, redactFields } from '@ngb/plugin-sdk';

/** One record of the structured log, as written (`time`, `level`, `tag`, `msg`, fields). */
type LogRecord = Record<string, unknown> & { time: string; level: LogLevel; msg?: string };

/** Reads recent records of the gateway's structured log. */
export interface LogReader {
  /**
   * The newest records first: at `level` or above, older than `before` (epoch ms), at least
   * `limit` of them when there are (more when several share the last one's time, so a page never
   * splits one millisecond), and whether older ones remain within what is read.
   */
  read(query: { level?: LogLevel; limit: number; before?: number }): Promise<{ records: LogRecord[]; more: boolean }>;
}

const levels: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

async function tail(path: string, maxBytes: number): Promise<{ text: string; cut: boolean }> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch {
    return { text: '', cut: false };
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return { text: buffer.toString('utf8'), cut: size > length };
  } finally {
    await handle.close();
  }
}

function parseLines(text: string, cut: boolean): LogRecord[] {
  const lines = text.split('\n');
  // A tail starts mid-line: its first line is a fragment.
  if (cut) lines.shift();
  const records: LogRecord[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    try {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) continue;
      const record = parsed as Record<string, unknown>;
      if (typeof record.time !== 'string' || !levels.includes(record.level as LogLevel)) continue;
      records.push(record as LogRecord);
    } catch {
      // A line cut by a crash, or written by something else: skipped.
    }
  }
  return records;
}

/**
 * Reads the log file the gateway writes (never a path from a request), at most `maxBytes` of its
 * end, and of its last rotated file (`<path>.1`) when the current one is shorter than that.
 */
export function createLogFileReader(path: string, options: { maxBytes?: number } = {}): LogReader {
  const maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
  return {
    async read(query) {
      const current = await tail(path, maxBytes);
      let records = parseLines(current.text, current.cut);
      const left = maxBytes - Buffer.byteLength(current.text);
      if (!current.cut && left > 0 && (await stat(`${path}.1`).catch(() => undefined))) {
        const rotated = await tail(`${path}.1`, left);
        records = [...parseLines(rotated.text, rotated.cut), ...records];
      }
      const threshold = levels.indexOf(query.level ?? 'debug');
      const matching = records
        .filter((record) => levels.indexOf(record.level) >= threshold)
        .filter((record) => query.before === undefined || Date.parse(record.time) < query.before)
        .reverse();
      let end = Math.min(query.limit, matching.length);
      const boundary = matching[end - 1]?.time;
      while (end < matching.length && matching[end]?.time === boundary) end += 1;
      return {
        records: matching.slice(0, end).map((record) => redactFields(record) as LogRecord),
        more: end < matching.length,
      };
    },
  };
}
