import { type LogFields, type Logger, type LogLevel, redactFields, redactText } from '@ngb/plugin-sdk';
import type { LogSink } from './log-sink';

/** Options of {@link createFileLogger}. */
export interface FileLoggerOptions {
  /** Where lines go; lines below its level are dropped. */
  sink: LogSink;
  /** Fields on every line, such as `{ pid, command }`. */
  base: LogFields;
  /** Also called for every line written (the console echo of `serve --debug`). */
  echo?: (level: LogLevel, message: string, fields: LogFields, tag: string | undefined) => void;
}

/** A Logger that writes redacted JSON lines (`time`, `level`, `tag`, `msg`, fields) to the log file. */
export function createFileLogger(options: FileLoggerOptions, tag?: string): Logger {
  const write = (level: LogLevel, message: string, fields: LogFields = {}) => {
    if (!options.sink.accepts(level)) return;
    const safe = redactFields(fields);
    const safeMessage = redactText(message);
    options.sink.write({
      time: new Date().toISOString(),
      level,
      ...(tag ? { tag } : {}),
      msg: safeMessage,
      ...options.base,
      ...safe,
    });
    options.echo?.(level, safeMessage, safe, tag);
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    child: (childTag) => createFileLogger(options, tag ? `${tag}:${childTag}` : childTag),
  };
}
