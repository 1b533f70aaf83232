import type { Clock, TimerHandle } from '@ngb/plugin-sdk';

/** What the watchdog watches and what it does. */
export interface DiscordWatchdogSettings {
  clock: Clock;
  /** Quiet time after which the connection counts as deaf. */
  timeoutMs: number;
  /** A value that changes whenever a heartbeat ACK arrives (discord.js's `shard.lastPingTimestamp`). */
  heartbeatMark(): unknown;
  /** Nothing arrived for `timeoutMs`. */
  onDeaf(quietMs: number): void;
  /** Still nothing, `timeoutMs` later again: time to open a new session. */
  onDead(): void;
  /** Something arrived after `onDeaf`. */
  onAlive(): void;
}

/**
 * Watches a gateway connection for signs of life: dispatches (reported with {@link alive}) and heartbeat
 * ACKs (seen as a change of `heartbeatMark` at each check). Discord ACKs every heartbeat even in a guild
 * where nobody writes, so an ACK is life: a dispatch-only watchdog would call every quiet evening deaf.
 */
export function createDiscordWatchdog(settings: DiscordWatchdogSettings) {
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
    const current = settings.heartbeatMark();
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
      mark = settings.heartbeatMark();
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
