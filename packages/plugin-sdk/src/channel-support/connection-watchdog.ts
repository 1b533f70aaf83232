import type { Clock, TimerHandle } from '../clock';

/** What the watchdog watches and what it does. */
export interface ConnectionWatchdogSettings {
  clock: Clock;
  /** Quiet time after which the connection counts as deaf. */
  timeoutMs: number;
  /**
   * A value that changes whenever the SDK saw a heartbeat answer it does not report as an event
   * (discord.js's `shard.lastPingTimestamp`); read at each check. Leave out when every sign of life
   * is reported with `alive()`.
   */
  heartbeatMark?(): unknown;
  /** Nothing arrived for `timeoutMs`. */
  onDeaf(quietMs: number): void;
  /** Still nothing, `timeoutMs` later again: time to open a new session. */
  onDead(): void;
  /** Something arrived after `onDeaf`. */
  onAlive(): void;
}

/**
 * Watches a long-lived platform connection for signs of life: events and pings (reported with `alive()`)
 * and heartbeat answers the SDK keeps to itself (a change of `heartbeatMark` at each check). Count
 * heartbeats as life: a platform that answers them in a chat where nobody writes is not deaf, and an
 * event-only watchdog would call every quiet evening deaf. After `timeoutMs` of nothing it calls
 * `onDeaf` (report `degraded`), after twice that `onDead` (tear down, connect again), and `onAlive`
 * once something arrives again.
 */
export function createConnectionWatchdog(settings: ConnectionWatchdogSettings) {
  const { clock, timeoutMs } = settings;
  let timer: TimerHandle | undefined;
  let lastSeen = 0;
  let mark: unknown;
  let deaf = false;

  const alive = () => {
    lastSeen = clock.now();
    if (deaf) {
      deaf = false;
      settings.onAlive();
    }
  };

  const check = () => {
    timer = clock.setTimeout(check, Math.max(250, Math.floor(timeoutMs / 4)));
    const current = settings.heartbeatMark?.();
    if (current !== mark) {
      mark = current;
      alive();
      return;
    }
    const quiet = clock.now() - lastSeen;
    if (quiet >= 2 * timeoutMs) {
      lastSeen = clock.now() - timeoutMs;
      settings.onDead();
    } else if (quiet >= timeoutMs && !deaf) {
      deaf = true;
      settings.onDeaf(quiet);
    }
  };

  return {
    /** Starts (or restarts) watching, counting from now. */
    start() {
      if (timer !== undefined) clock.clearTimeout(timer);
      lastSeen = clock.now();
      mark = settings.heartbeatMark?.();
      timer = clock.setTimeout(check, Math.max(250, Math.floor(timeoutMs / 4)));
    },
    /** Something arrived. */
    alive,
    stop() {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      deaf = false;
    },
  };
}
