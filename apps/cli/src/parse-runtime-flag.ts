import { isRuntimeDriver, type RuntimeDriver } from '@ngb/host';
import { fail } from './cli-error';

/** Reads `--runtime`, or ends the command with one line when the value is not a driver. */
export function parseRuntimeFlag(value: string | undefined): RuntimeDriver | undefined {
  if (value === undefined) return undefined;
  if (isRuntimeDriver(value)) return value;
  fail(`--runtime must be "docker" or "local", not "${value}"`);
}
