import type { Clock } from '../clock';

/** How long a channel waits before connecting again. */
export interface ReconnectBackoffSettings {
  clock: Clock;
  /** The wait after a connection that lasted dropped. @default 1000 */
  firstMs?: number;
  /** The longest wait. @default 60000 */
  maxMs?: number;
  /** A connection open at least this long counted as working: the next drop starts over. @default 30000 */
  stableMs?: number;
}

/**
 * The waits between connection attempts of a long-lived platform connection. They grow (`firstMs`,
 * then 2 s, 4 s … `maxMs`) while attempts fail and while connections drop soon after opening, so a server that
 * accepts and closes at once is not hammered; a connection that lasted resets them to `firstMs`.
 */
export function createReconnectBackoff(settings: ReconnectBackoffSettings) {
  const { clock, firstMs = 1_000, maxMs = 60_000, stableMs = 30_000 } = settings;
  let streak = 0;
  let openedAt: number | undefined;
  return {
    /** A connection opened. */
    opened(): void {
      openedAt = clock.now();
    },
    /** The wait before the next attempt, after a failed attempt or a drop. */
    nextDelayMs(): number {
      if (openedAt !== undefined && clock.now() - openedAt >= stableMs) streak = 0;
      openedAt = undefined;
      const delay = streak === 0 ? firstMs : Math.min(maxMs, 1_000 * 2 ** streak);
      streak += 1;
      return delay;
    },
  };
}
