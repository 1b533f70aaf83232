// Option schemas that adapters and providers parse alike: what a host injects (a clock, `fetch`, a
// logger) and the number shapes every options schema repeats. Each carries the message a user reads.
import * as v from 'valibot';
import type { Clock } from './clock';
import { ConfigError } from './errors';
import type { Logger } from './logger';

/** A whole number of at least 1. */
export const positiveIntegerOption = v.pipe(
  v.number('must be a number'),
  v.integer('must be a whole number'),
  v.minValue(1, 'must be at least 1'),
);

/** A duration in milliseconds that a timer can hold: 1 to 2147483647. */
export const millisecondsOption = v.pipe(positiveIntegerOption, v.maxValue(2 ** 31 - 1, 'must be at most 2147483647 (ms)'));

/** An injected {@link Clock} (time and timers). */
export const clockOption = v.custom<Clock>(
  (value) => typeof value === 'object' && value !== null && 'now' in value && 'setTimeout' in value,
  'must be a Clock',
);

/** An injected `fetch`. */
export const fetchOption = v.custom<typeof fetch>((value) => typeof value === 'function', 'must be a fetch function');

/** An injected {@link Logger}. */
export const loggerOption = v.custom<Logger>(
  (value) => typeof value === 'object' && value !== null && 'warn' in value,
  'must be a Logger',
);

/**
 * Parses a factory's options with their schema, once, the same way in every package: what is wrong
 * comes back as one ConfigError that names the option at fault by its dot path (`retry.maxAttempts`),
 * as `<label> option "<key>" is invalid: <the schema's message>`, and carries it as `key`
 * (after `keyPrefix.` where the options sit under a config key, such as `rateLimit`). The value is never
 * shown, since an option may be a secret: valibot's own messages say what they received, and that part is cut.
 * @param label who parses, at the head of the message, such as `[@ngb/channel-slack]`
 * @throws ConfigError naming the option, or the options as a whole when they are not an object
 */
export function parseOptions<Schema extends v.GenericSchema>(
  schema: Schema,
  input: unknown,
  label: string,
  { keyPrefix }: { keyPrefix?: string } = {},
): v.InferOutput<Schema> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  const [issue] = result.issues;
  const path = v.getDotPath(issue) ?? '';
  const key = [keyPrefix, path].filter((part) => part !== undefined && part !== '').join('.') || undefined;
  const what = path === '' ? 'options are' : `option "${path}" is`;
  const message = issue.message.replace(/(?: but r|: R)eceived [\s\S]*$/, '');
  throw new ConfigError(`${label} ${what} invalid: ${message}`, { key });
}
