import { type Clock, errorMessage, LlmApiError, type Logger } from '@ngb/plugin-sdk';

/**
 * A `retry-after` longer than this is not waited for: the call fails at once (the turn fails and
 * the chat is told), so one model call never holds a turn and its session lease for longer.
 */
const maxModelRetryAfterMs = 300_000;

/** How the agent loop retries one model call. */
export interface ModelCallRetry {
  /** Waits before each retry; its length is the number of retries. */
  delaysMs: readonly number[];
  clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  logger: Logger;
  signal: AbortSignal;
}

/** Waits `delayMs` on `clock`; rejects with the signal's reason as soon as it aborts. */
function wait(clock: ModelCallRetry['clock'], delayMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clock.clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The wait before retry number `retry` (0-based) after `error`, or undefined when the call must
 * not be retried: not a model API error, not retryable, the schedule is exhausted, or the server
 * asked for a wait longer than {@link maxModelRetryAfterMs}.
 */
function modelRetryDelay(error: unknown, retry: number, delaysMs: readonly number[]): number | undefined {
  if (!LlmApiError.isInstance(error) || !error.retryable) return undefined;
  const delay = delaysMs[retry];
  if (delay === undefined) return undefined;
  const retryAfter = error.retryAfterMs ?? 0;
  if (retryAfter > maxModelRetryAfterMs) return undefined;
  return Math.max(delay, retryAfter);
}

/**
 * Runs one model call, and runs the same request again after a retryable `LlmApiError` on the
 * schedule (each wait the schedule's delay or the server's `retry-after`, whichever is longer).
 * This is the only place a model call is retried: providers are built without retries and the
 * turn is not re-run for a model error. A call that failed part-way is run again from the start;
 * nothing of the failed attempt is kept (its tool calls have not run).
 * @throws the last error once the schedule is exhausted or the error is not retryable, and the
 *   abort reason when the signal aborts during a wait
 */
export async function callModelWithRetries<T>(attempt: () => Promise<T>, retry: ModelCallRetry): Promise<T> {
  for (let retries = 0; ; retries += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (retry.signal.aborted) throw error;
      const delay = modelRetryDelay(error, retries, retry.delaysMs);
      if (delay === undefined) throw error;
      retry.logger.warn('model call failed; retrying', { retry: retries + 1, delayMs: delay, error: errorMessage(error) });
      await wait(retry.clock, delay, retry.signal);
    }
  }
}
