import { colors } from './colors';

/** Writes one error line to stderr: `✖ message`. */
export function printError(message: string): void {
  process.stderr.write(`${colors.red('✖')} ${message}\n`);
}

/** Writes one warning line to stderr: `⚠ message`. */
export function printWarning(message: string): void {
  process.stderr.write(`${colors.yellow('⚠')} ${colors.yellow(message)}\n`);
}

/** Writes a dim note to stderr (progress, hints), keeping stdout for results. */
export function printNote(message: string): void {
  process.stderr.write(`${colors.dim(message)}\n`);
}

/** Writes one line to stdout. */
export function printLine(text = ''): void {
  process.stdout.write(`${text}\n`);
}
