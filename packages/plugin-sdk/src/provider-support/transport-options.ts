import * as v from 'valibot';
import { type Logger, silentLogger } from '../logger';
import { loggerOption } from '../option-schemas';
import type { RetryPolicy, Sleep } from './stream-with-retries';
import { realSleep } from './stream-with-retries';

/** How a provider talks HTTP: the options every provider over an HTTP API shares. */
export interface ProviderTransportOptions {
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** The fetch used for HTTP. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /**
   * Retries of a failed call (429, 5xx, a dropped connection) before the first part. Off by
   * default: the gateway retries a failed model call itself, in its agent loop, on its own
   * schedule, and a provider retrying too would multiply the calls. A provider used alone (a
   * script, another host) may opt in. @default 0
   */
  maxRetries?: number;
  /** The first retry's backoff when the server gives no `retry-after`; doubled each retry. @default 500 */
  retryDelayMs?: number;
  /** A `retry-after` longer than this is not waited for; the error is thrown with `retryAfterMs`. @default 60000 */
  maxRetryDelayMs?: number;
  /** The longest wait for the response to start and between two stream chunks. @default 300000 */
  timeoutMs?: number;
  /** Where retries and SDK warnings are logged. @default silentLogger */
  logger?: Logger;
  /** The wait between retries (a seam for tests). @default a timer on the real clock */
  sleep?: Sleep;
}

const positiveInteger = v.pipe(v.number(), v.integer(), v.minValue(1));
const nonNegativeInteger = v.pipe(v.number(), v.integer(), v.minValue(0));

/** The valibot entries of {@link ProviderTransportOptions}, with their defaults, to spread into a provider's schema. */
export const providerTransportEntries = {
  headers: v.optional(v.record(v.string(), v.string()), {}),
  fetch: v.optional(v.custom<typeof globalThis.fetch>((value) => typeof value === 'function', 'must be a function')),
  maxRetries: v.optional(nonNegativeInteger, 0),
  retryDelayMs: v.optional(nonNegativeInteger, 500),
  maxRetryDelayMs: v.optional(nonNegativeInteger, 60_000),
  timeoutMs: v.optional(positiveInteger, 300_000),
  logger: v.optional(loggerOption, silentLogger),
  sleep: v.optional(v.custom<Sleep>((value) => typeof value === 'function', 'must be a function')),
};

/** The retry policy of parsed transport options. */
export function retryPolicyOf(
  options: { maxRetries: number; retryDelayMs: number; maxRetryDelayMs: number; sleep?: Sleep },
  logger: Logger,
): RetryPolicy {
  return {
    maxRetries: options.maxRetries,
    retryDelayMs: options.retryDelayMs,
    maxRetryDelayMs: options.maxRetryDelayMs,
    sleep: options.sleep ?? realSleep,
    random: Math.random,
    logger,
  };
}
