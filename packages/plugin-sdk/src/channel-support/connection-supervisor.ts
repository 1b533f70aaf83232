import type { Clock, TimerHandle } from '../clock';
import type { ChannelContext, ChannelStatus } from '../contracts/channel';
import { ChannelApiError } from '../errors';
import { createConnectionWatchdog } from './connection-watchdog';
import { createReconnectBackoff } from './reconnect-backoff';

/** What a channel with one long-lived platform connection (a socket, a gateway session) tells its supervisor. */
export interface ConnectionSupervisorSettings {
  clock: Clock;
  /** The channel's name, for the errors it throws. */
  channel: string;
  /** How its messages begin, e.g. `[@ngb/channel-qq]`. */
  prefix: string;
  /**
   * Opens a connection and makes it the channel's current one; throws when it cannot (an error the
   * channel already mapped, as `start` throws it to the core).
   */
  connect(): Promise<void>;
  /**
   * Lets the current connection go at once, without waiting for its close: from then on its events are
   * ignored (the channel compares the connection an event came from with its current one).
   */
  disconnect(): void;
  /** A failed attempt's error as the channel reports it; a 401 or 403 means the credentials were refused. */
  mapError(error: unknown): ChannelApiError;
  watchdog: {
    /** Quiet time after which the connection counts as deaf (see `createConnectionWatchdog`). */
    timeoutMs: number;
    heartbeatMark?(): unknown;
    /** The detail of the `degraded` status when nothing arrived for `quietMs`. */
    deafDetail(quietMs: number): string;
  };
  /** The wait after a connection that lasted dropped (see `createReconnectBackoff`); 0 connects again at once. */
  firstRetryMs?: number;
}

/**
 * The life of a channel's long-lived connection, the same for every platform: `start` connects (and
 * throws when it cannot, so the core sees a channel that did not start); from then on the watchdog
 * reports a deaf connection as `degraded` and replaces a dead one; a connection that drops is replaced
 * after the backoff; a failed attempt is tried again after the backoff, except when the platform
 * refused the credentials (401, 403): the channel is then `failed` and stops trying. The statuses go to
 * the core, `connected` said once however many sources report it. `stop` ends all of this; the channel
 * then closes its connection as it must.
 */
export function createConnectionSupervisor(settings: ConnectionSupervisorSettings) {
  const { clock, prefix } = settings;
  let context: ChannelContext | undefined;
  let running = false;
  let connecting = false;
  let retryTimer: TimerHandle | undefined;
  let lastState: string | undefined;
  const backoff = createReconnectBackoff({
    clock,
    ...(settings.firstRetryMs === undefined ? {} : { firstMs: settings.firstRetryMs }),
  });

  const status = (value: ChannelStatus): void => {
    if (value.state === 'connected' && lastState === 'connected') return;
    lastState = value.state;
    context?.setStatus(value);
  };

  const newWatchdog = (timeoutMs: number) =>
    createConnectionWatchdog({
      clock,
      timeoutMs,
      ...(settings.watchdog.heartbeatMark === undefined ? {} : { heartbeatMark: settings.watchdog.heartbeatMark }),
      onDeaf: (quietMs) => status({ state: 'degraded', detail: settings.watchdog.deafDetail(quietMs) }),
      onDead: () => void reconnect(),
      onAlive: () => status({ state: 'connected' }),
    });
  let watchdogMs = settings.watchdog.timeoutMs;
  let watchdog = newWatchdog(watchdogMs);
  let watching = false;
  const watch = (on: boolean) => {
    watching = on;
    if (on) watchdog.start();
    else watchdog.stop();
  };

  const clearRetry = () => {
    if (retryTimer !== undefined) clock.clearTimeout(retryTimer);
    retryTimer = undefined;
  };

  function fail(error: string): void {
    running = false;
    watch(false);
    clearRetry();
    settings.disconnect();
    status({ state: 'failed', error });
  }

  function retryAfterBackoff(): void {
    if (!running) return;
    clearRetry();
    const delayMs = backoff.nextDelayMs();
    if (delayMs === 0) void reconnect();
    else
      retryTimer = clock.setTimeout(() => {
        retryTimer = undefined;
        void reconnect();
      }, delayMs);
  }

  // A new connection in place of the current one: after a drop (with backoff), or when the watchdog
  // found it dead, or when the platform asked for it.
  async function reconnect(): Promise<void> {
    if (!running || connecting) return;
    connecting = true;
    // Silent while connecting: an attempt slower than the watchdog must not be torn down and begun again.
    watch(false);
    clearRetry();
    settings.disconnect();
    status({ state: 'connecting' });
    try {
      await settings.connect();
      backoff.opened();
      // stop() may have run while connecting: it could not see the connection being built.
      if (!running) return settings.disconnect();
      watch(true);
      status({ state: 'connected' });
    } catch (error) {
      const mapped = settings.mapError(error);
      if (mapped.status === 401 || mapped.status === 403) return fail(mapped.message);
      status({ state: 'disconnected', error: mapped.message });
      retryAfterBackoff();
    } finally {
      connecting = false;
    }
  }

  return {
    /** True between `start` and `stop` (or a refusal of the credentials). */
    running: () => running,
    /** What the core gave `start`. */
    context: () => context,
    /** Reports a status to the core (`connected` once, however many sources say it). */
    status,
    /** A sign of life of the current connection: an event, a ping. */
    alive: () => watchdog.alive(),
    /** The current connection closed by itself: reported, and replaced after the backoff. */
    dropped(error: string): void {
      if (!running) return;
      watch(false);
      status({ state: 'disconnected', error });
      retryAfterBackoff();
    },
    /** A new quiet time for the watchdog (the platform announced its heartbeat interval), from now on. */
    retimeWatchdog(timeoutMs: number): void {
      if (timeoutMs === watchdogMs) return;
      watchdogMs = timeoutMs;
      watchdog.stop();
      watchdog = newWatchdog(timeoutMs);
      if (watching) watchdog.start();
    },
    /** The platform ended the session for good (a revoked token, say): `failed`, and no more attempts. */
    fail,
    /** The platform asked for a new connection: it is made now. */
    reconnect: () => void reconnect(),
    async start(startContext: ChannelContext): Promise<void> {
      if (running) throw new ChannelApiError(settings.channel, `${prefix} the channel is already started`, { retryable: false });
      context = startContext;
      lastState = undefined;
      running = true;
      status({ state: 'connecting' });
      try {
        await settings.connect();
        backoff.opened();
      } catch (error) {
        running = false;
        throw error;
      }
      watch(true);
      status({ state: 'connected' });
    },
    /** No more attempts, no more watching; the channel then closes its connection as it must. */
    stop(): void {
      running = false;
      watch(false);
      clearRetry();
    },
  };
}
