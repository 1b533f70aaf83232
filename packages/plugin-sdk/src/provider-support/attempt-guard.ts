import { LlmApiError } from '../errors';

/** Ties one HTTP attempt to the caller's signal and to an idle timeout. */
export interface AttemptGuard {
  /** Aborts when the caller aborts, when the stream is idle too long, or on {@link dispose}. */
  readonly signal: AbortSignal;
  /** Data arrived, or the caller asked for more: restart the idle timer. */
  touch(): void;
  /** The caller is busy with a part: a slow consumer is not a silent server. */
  pause(): void;
  /**
   * Settles like `work`, or rejects with {@link stopError} as soon as the caller aborts or the timer
   * fires — without waiting for `work`, because on Node 20 a fetch aborted after its body fully
   * arrived leaves the next read pending forever.
   */
  race<T>(work: Promise<T>): Promise<T>;
  /** The caller's abort reason or the timeout error, once either happened. */
  stopError(): unknown;
  /** Stops the timer and cancels the attempt's HTTP request if it is still open. */
  dispose(): void;
}

/** Thrown when the caller's signal aborted; the value is the signal's reason. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * Starts guarding one attempt.
 * @param provider the provider name for the timeout error
 * @param label the package tag that starts error messages, such as `[@ngb/llm-openai]`
 */
export function createAttemptGuard(
  callerSignal: AbortSignal | undefined,
  timeoutMs: number,
  provider: string,
  label: string,
): AttemptGuard {
  const controller = new AbortController();
  let timeoutError: LlmApiError | undefined;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timeoutError = new LlmApiError(provider, `${label} no data from the API for ${timeoutMs} ms (timeoutMs)`, {
        retryable: true,
      });
      controller.abort(timeoutError);
    }, timeoutMs);
  };
  const stopError = () => (callerSignal?.aborted === true ? abortReason(callerSignal) : timeoutError);
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  arm();
  return {
    signal: controller.signal,
    touch: arm,
    pause: () => clearTimeout(timer),
    stopError,
    race: (work) =>
      new Promise((resolve, reject) => {
        const onAbort = () => reject(stopError() ?? new DOMException('This operation was aborted', 'AbortError'));
        if (controller.signal.aborted) onAbort();
        else controller.signal.addEventListener('abort', onAbort, { once: true });
        work.then(
          (value) => {
            controller.signal.removeEventListener('abort', onAbort);
            resolve(value);
          },
          (error: unknown) => {
            controller.signal.removeEventListener('abort', onAbort);
            reject(error);
          },
        );
      }),
    dispose: () => {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
      if (!controller.signal.aborted) controller.abort();
    },
  };
}

/**
 * Hands parts to the caller one by one: stops at once when the caller aborted or the idle timer
 * fired, and does not count the caller's time with a part as the server's silence.
 */
export function* guardedParts<Part>(guard: AttemptGuard, parts: Iterable<Part>): Generator<Part, void, undefined> {
  for (const part of parts) {
    const stop = guard.stopError();
    if (stop !== undefined) throw stop;
    guard.pause();
    yield part;
  }
}
