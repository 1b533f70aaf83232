/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** Log levels, quietest last. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * What libraries log through. Libraries never print; apps hand them a Logger that writes
 * somewhere (consola, a file). The default everywhere is {@link silentLogger}.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /**
   * A logger whose lines carry `tag` (joined to the parent's tag with `:`).
   * @param tag such as `telegram` or `session:abc`
   */
  child(tag: string): Logger;
}

function noop(): void {}

/** A logger that drops everything; the default of every library. */
export const silentLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
};

const secretKeyPattern = /(token|secret|password|passwd|api[-_]?key|authorization|cookie|credential|private[-_]?key)/i;

/**
 * Returns a copy of `fields` with values under secret-looking keys replaced by `[redacted]`,
 * recursing into plain objects and arrays. Apps apply it before writing a line anywhere.
 */
export function redactFields(fields: LogFields): LogFields {
  return redactValue(fields, 0) as LogFields;
}

function redactValue(value: unknown, depth: number): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (value instanceof Error) return { name: value.name, message: value.message };
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = secretKeyPattern.test(key) && item !== undefined && item !== null ? '[redacted]' : redactValue(item, depth + 1);
  }
  return out;
}
