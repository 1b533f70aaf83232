import { parseOptions } from '@ngb/plugin-sdk';
import * as v from 'valibot';

const positiveInteger = v.pipe(v.number(), v.integer(), v.minValue(1));
// A timer cannot wait longer than 2^31-1 ms: past it, setTimeout fires at once.
const timerDelay = v.pipe(positiveInteger, v.maxValue(2 ** 31 - 1, 'must be at most 2147483647 ms (about 24.8 days)'));

/** Options every driver's pool takes, with their defaults. */
export const poolOptionsSchema = v.object({
  maxSandboxes: v.optional(positiveInteger, 5),
  idleTimeoutMs: v.optional(timerDelay, 30 * 60 * 1000),
  // The sandbox protocol accepts up to a day per call.
  defaultTimeoutMs: v.optional(v.pipe(positiveInteger, v.maxValue(86_400_000, 'must be at most 86400000 ms (a day)')), 120_000),
});

/**
 * Parses a factory's options once.
 * @throws ConfigError naming the key
 */
export function parseRuntimeOptions<Schema extends v.GenericSchema>(
  schema: Schema,
  options: unknown,
  factory: string,
): v.InferOutput<Schema> {
  return parseOptions(schema, options, `[@ngb/runtime] ${factory}:`);
}
