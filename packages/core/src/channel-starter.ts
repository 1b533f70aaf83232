import {
  type ChannelAdapter,
  ChannelApiError,
  type ChannelContext,
  type ChannelStatus,
  type Clock,
  ConfigError,
  errorMessage,
  type Logger,
  type TimerHandle,
} from '@ngb/plugin-sdk';

/** Waits before a channel whose `start` failed is started again (the last one repeats). */
export const defaultChannelRestartDelaysMs: readonly number[] = [1_000, 2_000, 5_000, 15_000, 60_000];

/** How long one `start` may take before it counts as failed (stopped, then started again with backoff). */
export const defaultChannelStartTimeoutMs = 30_000;

/**
 * Why the platform refused to let the bot in, in words a person can act on, or undefined when the
 * failure is one a retry may cure.
 */
function refusalOf(error: unknown): string | undefined {
  if (ConfigError.isInstance(error)) return `configuration rejected: ${errorMessage(error)}`;
  if (!ChannelApiError.isInstance(error)) return undefined;
  if (error.status === 401) return `token rejected (401): ${errorMessage(error)}`;
  if (error.status === 403) return `missing permission (403): ${errorMessage(error)}`;
  return undefined;
}

interface ChannelStarterOptions {
  clock: Clock;
  logger: Logger;
  setStatus(channel: string, status: ChannelStatus): void;
  restartDelaysMs?: readonly number[];
  startTimeoutMs?: number;
}

/**
 * Starts channels so that one platform cannot stop the gateway: a refused token or permission marks the
 * channel `failed` (no retry, so no crash loop), any other failure marks it `disconnected` and starts it
 * again with backoff until it connects or the gateway stops. A `start` that neither connects nor fails
 * within the start timeout (a platform that accepts the connection and then says nothing) counts as a
 * failure too, so one silent platform can neither hold up the gateway's start nor stay down unnoticed.
 */
export function createChannelStarter(options: ChannelStarterOptions) {
  const { clock, logger, setStatus } = options;
  const delays = options.restartDelaysMs ?? defaultChannelRestartDelaysMs;
  const startTimeoutMs = options.startTimeoutMs ?? defaultChannelStartTimeoutMs;
  const timers = new Set<TimerHandle>();
  let stopped = false;

  /** Runs `start`, rejecting when it has not settled within the start timeout. */
  function startWithin(channel: ChannelAdapter, context: ChannelContext): Promise<void> {
    let timer: TimerHandle | undefined;
    const started = channel.start(context);
    const timeout = new Promise<never>((_, reject) => {
      timer = clock.setTimeout(() => reject(new Error(`did not connect within ${startTimeoutMs} ms`)), startTimeoutMs);
    });
    // A start abandoned at its timeout may still settle later; that outcome is nobody's to handle.
    started.catch(() => undefined);
    return Promise.race([started, timeout]).finally(() => {
      if (timer !== undefined) clock.clearTimeout(timer);
    });
  }

  async function attempt(channel: ChannelAdapter, context: ChannelContext, failures: number): Promise<void> {
    // A status set by an attempt that was abandoned (timed out, then stopped) must not overwrite the
    // status of the attempts after it.
    let current = true;
    const attemptContext: ChannelContext = {
      ...context,
      setStatus: (status) => {
        if (current) context.setStatus(status);
      },
    };
    try {
      await startWithin(channel, attemptContext);
      return;
    } catch (error) {
      current = false;
      if (stopped) return;
      const refusal = refusalOf(error);
      if (refusal !== undefined) {
        logger.error('channel refused to start', { channel: channel.name, error: refusal });
        setStatus(channel.name, { state: 'failed', error: refusal });
        return;
      }
      const wait = delays[Math.min(failures, delays.length - 1)] ?? 1_000;
      logger.warn('channel failed to start; retrying', { channel: channel.name, error: errorMessage(error), retryInMs: wait });
      setStatus(channel.name, { state: 'disconnected', error: errorMessage(error) });
      // The adapter may hold half-open resources from the failed attempt.
      await channel.stop().catch(() => undefined);
      const timer = clock.setTimeout(() => {
        timers.delete(timer);
        if (!stopped) void attempt(channel, context, failures + 1);
      }, wait);
      timers.add(timer);
    }
  }

  return {
    /** Starts one channel; resolves once its first attempt ended, whatever its outcome. */
    start: (channel: ChannelAdapter, context: ChannelContext) => attempt(channel, context, 0),
    /** Cancels the pending restarts. */
    stop(): void {
      stopped = true;
      for (const timer of timers) clock.clearTimeout(timer);
      timers.clear();
    },
  };
}
