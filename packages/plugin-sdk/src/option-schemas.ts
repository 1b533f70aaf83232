// Option schemas that adapters and providers parse alike: what a host injects (a clock, `fetch`, a
// logger) and the number shapes every options schema repeats. Each carries the message a user reads.
import * as v from 'valibot';
import type { Clock } from './clock';
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
