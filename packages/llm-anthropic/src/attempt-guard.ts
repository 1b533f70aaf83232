import { LlmApiError } from '@ngb/plugin-sdk';

/** Ties one HTTP attempt to the caller's signal and to an idle timeout. */
export interface AttemptGuard {
  /** Aborts when the caller aborts, when the stream is idle too long, or on {@link dispose}. */
  readonly signal: AbortSignal;
  /** Data arrived, or the caller asked for more: restart the idle timer. */
  touch(): void;
  /** The caller is busy with a part: a slow consumer is not a silent server. */
  pause(): void;
  /** The error to throw instead of whatever the SDK reported, when the caller aborted or the timer fired. */
  overridingError(): unknown;
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
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  arm();
  return {
    signal: controller.signal,
    touch: arm,
    pause: () => {},
    overridingError: () => {
      if (callerSignal?.aborted === true) return abortReason(callerSignal);
      return timeoutError;
    },
    dispose: () => {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
      if (!controller.signal.aborted) controller.abort();
    },
  };
}
