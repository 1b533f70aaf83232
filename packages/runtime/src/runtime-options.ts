import { ConfigError } from '@ngb/plugin-sdk';
import * as v from 'valibot';

const positiveInteger = v.pipe(v.number(), v.integer(), v.minValue(1));

/** Options every driver's pool takes, with their defaults. */
export const poolOptionsSchema = v.object({
  maxSandboxes: v.optional(positiveInteger, 5),
  idleTimeoutMs: v.optional(positiveInteger, 30 * 60 * 1000),
  defaultTimeoutMs: v.optional(positiveInteger, 120_000),
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
  const parsed = v.safeParse(schema, options);
  if (parsed.success) return parsed.output;
  const issue = parsed.issues[0];
  const key = issue ? (v.getDotPath(issue) ?? '') : '';
  throw new ConfigError(`[@ngb/runtime] ${factory}: option \`${key}\` is invalid: ${issue?.message}`, { key });
}
