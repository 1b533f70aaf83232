import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { displayPath, loadConfig, logLevels } from '@ngb/host';
import type { LogLevel } from '@ngb/plugin-sdk';
import { fail } from '../cli-error';
import { numberFlag } from '../number-flags';
import { printNote, printWarning } from '../output';
import { formatLogRecord, parseLogLine } from './format-log-line';
import { followLines, readLastLines } from './read-log';
import { parseTruncatedLine } from './truncated-line';

/** The flags of `ngb logs`. */
export interface LogsFlags {
  config: string | undefined;
  lines: string | undefined;
  follow: boolean;
  json: boolean;
  level: string | undefined;
  session: string | undefined;
}

/** Runs `ngb logs`: the tail of the structured log, then (with `-f`) every new line as it is written. */
export async function executeLogs(flags: LogsFlags): Promise<void> {
  const count = numberFlag('lines', flags.lines, { integer: true, min: 0 }) ?? 50;
  const level = (flags.level ?? 'info') as LogLevel;
  if (!logLevels.includes(level)) fail(`--level must be one of ${logLevels.join(', ')}, not "${flags.level}"`);
  const threshold = logLevels.indexOf(level);
  const loaded = loadConfig({ configOption: flags.config, env: process.env, cwd: process.cwd() });
  for (const warning of loaded.warnings) printWarning(warning);
  const file = loaded.paths.logFile;
  const keep = (line: string) => {
    const record = parseLogLine(line);
    if (!record) return threshold === 0;
    const index = logLevels.indexOf((record.level ?? 'info') as LogLevel);
    if (index < threshold) return false;
    if (flags.session !== undefined && !(typeof record.sessionId === 'string' && record.sessionId.startsWith(flags.session)))
      return false;
    return true;
  };
  const show = (line: string) => {
    const record = parseLogLine(line);
    if (flags.json) {
      // A line cut short by the reader is no JSON: print what it held, as JSON.
      process.stdout.write(`${record !== undefined && parseTruncatedLine(line) !== undefined ? JSON.stringify(record) : line}\n`);
      return;
    }
    process.stdout.write(`${record ? formatLogRecord(record) : line}\n`);
  };
  if (!existsSync(file) && !flags.follow) {
    printNote(`no log yet at ${displayPath(file)}: \`ngb serve\`, \`ngb run\` and \`ngb shell\` write it`);
    return;
  }
  const { lines, size } = readLastLines(file, count, keep);
  for (const line of lines) show(line);
  if (!flags.follow) return;
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    printNote(`waiting for ${displayPath(file)} to be written...`);
  }
  const stop = followLines(file, size, (line) => {
    if (keep(line)) show(line);
  });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  stop();
}
