/**
 * Ends a command with an exit code and, optionally, one line for stderr. Commands throw it
 * instead of calling `process.exit`, so cleanup (`finally`) still runs.
 */
export class CliExit extends Error {
  readonly exitCode: number;
  constructor(exitCode: number, message = '') {
    super(message);
    this.name = 'CliExit';
    this.exitCode = exitCode;
  }
}

/** Stops the command with one line on stderr and exit code 1. */
export function fail(message: string): never {
  throw new CliExit(1, message);
}

/** Exit code of `ngb run` when `--timeout` passed (the same as coreutils `timeout`). */
export const timeoutExitCode = 124;
/** Exit code after Ctrl-C (128 + SIGINT). */
export const interruptedExitCode = 130;
