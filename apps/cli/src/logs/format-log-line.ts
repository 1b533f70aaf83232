import { colors } from '../colors';
import { formatDuration, oneLine } from '../render/format';
import { parseTruncatedLine } from './truncated-line';

/** A parsed line of the structured log. */
export type LogRecord = Record<string, unknown> & { time?: string; level?: string; event?: string; msg?: string; tag?: string };

// The leading string and number fields of a JSON line cut short: the log writes `time`, `level`, `tag`,
// `msg` or `event`, `pid`, `command` first, so a truncated line still says what and when.
const leadingField = /"(time|level|tag|msg|event|pid|command|sessionId)":("(?:[^"\\]|\\.)*"|-?\d+)/g;

function parseTruncatedRecord(start: string, bytes: number): LogRecord {
  const record: LogRecord = {};
  for (const [, key = '', value = ''] of start.matchAll(leadingField)) {
    if (key in record) continue;
    try {
      record[key] = JSON.parse(value);
    } catch {}
  }
  record.truncated = `line of ${bytes} bytes`;
  return record;
}

/**
 * Parses one log line; undefined when it is not a JSON object. A line cut short by the reader (see
 * `truncated-line.ts`) gives the fields its start holds, and `truncated`.
 */
export function parseLogLine(line: string): LogRecord | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as LogRecord) : undefined;
  } catch {
    const truncated = parseTruncatedLine(line);
    return truncated?.start.startsWith('{') ? parseTruncatedRecord(truncated.start, truncated.bytes) : undefined;
  }
}

const hidden = new Set(['time', 'level', 'event', 'msg', 'tag', 'pid', 'command']);

function formatValue(key: string, value: unknown): string {
  if (typeof value === 'number' && /(Ms)$/.test(key)) return formatDuration(value);
  if (typeof value === 'string') {
    if (/Id$/.test(key) && /^[0-9a-f-]{20,}$/i.test(value)) return value.slice(0, 8);
    return /[\s"=]/.test(value) || value === '' ? JSON.stringify(oneLine(value, 80)) : oneLine(value, 80);
  }
  return oneLine(JSON.stringify(value) ?? String(value), 120);
}

const levelColors: Record<string, (text: string) => string> = {
  debug: colors.dim,
  info: colors.cyan,
  warn: colors.yellow,
  error: colors.red,
};

/** One log record as a human reads it: `12:00:01.234 info  serve  turn.end session=1a2b3c4d status=succeeded`. */
export function formatLogRecord(record: LogRecord): string {
  const time = typeof record.time === 'string' ? record.time.slice(11, 23) : '--:--:--.---';
  const level = String(record.level ?? 'info');
  const paint = levelColors[level] ?? ((text: string) => text);
  const source = colors.dim(String(record.command ?? '').padEnd(5));
  const subject =
    record.event !== undefined
      ? colors.bold(String(record.event))
      : `${record.tag ? colors.dim(`[${record.tag}] `) : ''}${String(record.msg ?? '')}`;
  const fields = Object.entries(record)
    .filter(([key, value]) => !hidden.has(key) && value !== undefined && value !== null)
    .map(([key, value]) => `${colors.dim(`${key}=`)}${formatValue(key, value)}`)
    .join(' ');
  return `${colors.dim(time)} ${paint(level.padEnd(5))} ${source} ${subject}${fields ? ` ${fields}` : ''}`;
}
