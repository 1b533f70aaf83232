import type { LogFields, Logger, LogLevel } from '../logger';

/** One line a {@link RecordingLogger} captured. */
export interface RecordedLogLine {
  level: LogLevel;
  tag: string;
  message: string;
  fields: LogFields | undefined;
}

/** A logger that keeps every line in memory for assertions. */
export interface RecordingLogger extends Logger {
  /** Every line logged through this logger and its children, in order. */
  readonly lines: RecordedLogLine[];
}

/** Creates a logger that records instead of printing. */
export function createRecordingLogger(): RecordingLogger {
  const lines: RecordedLogLine[] = [];
  const make = (tag: string): Logger => ({
    debug: (message, fields) => void lines.push({ level: 'debug', tag, message, fields }),
    info: (message, fields) => void lines.push({ level: 'info', tag, message, fields }),
    warn: (message, fields) => void lines.push({ level: 'warn', tag, message, fields }),
    error: (message, fields) => void lines.push({ level: 'error', tag, message, fields }),
    child: (childTag) => make(tag === '' ? childTag : `${tag}:${childTag}`),
  });
  return Object.assign(make(''), { lines });
}
