import type { LlmStreamPart } from '../contracts/llm';
import { LlmApiError } from '../errors';
import type { Logger } from '../logger';
import { abortReason } from './attempt-guard';

/** Waits `ms` milliseconds; rejects with the signal's reason when it aborts first. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** A sleep on the real clock that keeps the process alive and stops early on abort. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** When and how often to try again. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** The first backoff; doubled each retry (with ±20 % jitter), at most 8 s. */
  retryDelayMs: number;
  /** A `retry-after` longer than this is not waited for: the error is thrown at once. */
  maxRetryDelayMs: number;
  sleep: Sleep;
  random: () => number;
  logger: Logger;
}

/** The wait before retry number `retry` (0-based) of `error`, or undefined when it must not be retried. */
function retryDelay(error: LlmApiError, retry: number, policy: RetryPolicy): number | undefined {
  if (!error.retryable || retry >= policy.maxRetries) return undefined;
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= policy.maxRetryDelayMs ? error.retryAfterMs : undefined;
  }
  const base = Math.min(policy.retryDelayMs * 2 ** retry, 8_000);
  return Math.round(base * (0.8 + 0.4 * policy.random()));
}

/**
 * Runs `attempt` and re-runs it for retryable errors thrown before it yielded anything.
 * `attempt` throws LlmApiError for API failures and the abort reason when `signal` aborts.
 */
export async function* streamWithRetries(
  attempt: () => AsyncIterable<LlmStreamPart>,
  signal: AbortSignal | undefined,
  policy: RetryPolicy,
): AsyncGenerator<LlmStreamPart, void, undefined> {
  signal?.throwIfAborted();
  for (let retry = 0; ; retry++) {
    let yielded = false;
    try {
      for await (const part of attempt()) {
        yielded = true;
        yield part;
      }
      return;
    } catch (error) {
      if (yielded || !LlmApiError.isInstance(error) || signal?.aborted === true) throw error;
      const wait = retryDelay(error, retry, policy);
      if (wait === undefined) throw error;
      policy.logger.warn(`retrying in ${wait} ms: ${error.message}`, { retry: retry + 1, status: error.status });
      await policy.sleep(wait, signal);
    }
  }
}
