/** A timer handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = { readonly id: number } | ReturnType<typeof setTimeout>;

/**
 * Time as the libraries see it. Injected so that timing logic (retries, backoff, idle reaping,
 * schedules) is tested instantly with a manual clock.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `callback` after `delayMs`. */
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  /** Cancels a timer; unknown handles are ignored. */
  clearTimeout(handle: TimerHandle): void;
}

/** The longest wait of a Node.js timer: a longer one overflows and fires at once. */
const maxTimerDelayMs = 2 ** 31 - 1;

/**
 * The real clock. Its timers do not keep the process alive on their own; a delay past the
 * longest a timer can wait (about 24.8 days) waits that long instead of firing at once.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => {
    const handle = setTimeout(callback, Math.min(Math.max(0, delayMs), maxTimerDelayMs));
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
