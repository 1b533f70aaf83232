import { type LogFields, type Logger, type LogLevel, redactFields } from '@ngb/plugin-sdk';
import type { LogSink } from './log-sink';

/** Log levels from most to least verbose. */
export const logLevels: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Options of {@link createFileLogger}. */
export interface FileLoggerOptions {
  sink: LogSink;
  /** Lines below this level are dropped. */
  level: LogLevel;
  /** Fields on every line, such as `{ pid, command }`. */
  base: LogFields;
  /** Also called for every line written (the console echo of `serve --debug`). */
  echo?: (level: LogLevel, message: string, fields: LogFields, tag: string | undefined) => void;
}

/** A Logger that writes redacted JSON lines (`time`, `level`, `tag`, `msg`, fields) to the log file. */
export function createFileLogger(options: FileLoggerOptions, tag?: string): Logger {
  const threshold = logLevels.indexOf(options.level);
  const write = (level: LogLevel, message: string, fields: LogFields = {}) => {
    if (logLevels.indexOf(level) < threshold) return;
    const safe = redactFields(fields);
    options.sink.write({
      time: new Date().toISOString(),
      level,
      ...(tag ? { tag } : {}),
      msg: message,
      ...options.base,
      ...safe,
    });
    options.echo?.(level, message, safe, tag);
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    child: (childTag) => createFileLogger(options, tag ? `${tag}:${childTag}` : childTag),
  };
}
