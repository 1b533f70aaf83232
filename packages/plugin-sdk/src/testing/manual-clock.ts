import type { Clock, TimerHandle } from '../clock';

/** A clock that only moves when a test says so. */
export interface ManualClock extends Clock {
  /** Moves time forward, firing due timers in order (timers a callback sets are fired too when due). */
  advance(milliseconds: number): Promise<void>;
  /** Moves time to the next pending timer and fires it; resolves false when none is pending. */
  runNext(): Promise<boolean>;
  /** Delays of the timers pending now, from the current time, soonest first. */
  pendingDelays(): number[];
}

/** Creates a {@link ManualClock} starting at `start` (epoch ms). */
export function createManualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let current = start;
  let counter = 0;
  const timers = new Map<number, { at: number; order: number; callback: () => void }>();
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  const next = () => [...timers.entries()].sort(([, a], [, b]) => a.at - b.at || a.order - b.order)[0];

  return {
    now: () => current,
    setTimeout(callback, delayMs): TimerHandle {
      counter += 1;
      timers.set(counter, { at: current + Math.max(0, delayMs), order: counter, callback });
      return { id: counter };
    },
    clearTimeout(handle) {
      if (typeof handle === 'object' && handle !== null && 'id' in handle) timers.delete(handle.id);
    },
    async advance(milliseconds) {
      const target = current + milliseconds;
      await settle();
      for (let entry = next(); entry && entry[1].at <= target; entry = next()) {
        timers.delete(entry[0]);
        current = Math.max(current, entry[1].at);
        entry[1].callback();
        await settle();
      }
      current = target;
      await settle();
    },
    async runNext() {
      await settle();
      const entry = next();
      if (!entry) return false;
      timers.delete(entry[0]);
      current = Math.max(current, entry[1].at);
      entry[1].callback();
      await settle();
      return true;
    },
    pendingDelays: () => [...timers.values()].map((timer) => timer.at - current).sort((a, b) => a - b),
  };
}
