import type { ChannelApiError, ChannelStatus, Clock, Logger, TimerHandle } from '@ngb/plugin-sdk';
import { errorMessage } from '@ngb/plugin-sdk';

/** Waits after failed polls (the last one repeats), unless Telegram says how long (retry_after). */
const telegramPollBackoffMs: readonly number[] = [1_000, 2_000, 5_000, 15_000, 60_000];

/** What the poller needs. */
export interface TelegramPollerOptions {
  /** One getUpdates call from `offset`, aborted by `signal`. @throws ChannelApiError */
  getUpdates(offset: number, signal: AbortSignal): Promise<Array<{ update_id: number }>>;
  /** Hands one update to the core; throws when it could not be stored (it is fetched again). */
  handle(update: { update_id: number }): Promise<void>;
  clock: Clock;
  /** After this long without an answer or an error, a poll is deaf; a hand-over to the core, stalled. */
  watchdogMs: number;
  setStatus(status: ChannelStatus): void;
  /** The running channel's logger, read at each use (the channel gets a new context at each start). */
  logger(): Logger;
}

/**
 * Long polling with getUpdates: confirms updates by advancing the offset only after the core stored
 * them, waits with backoff (or retry_after) after failures, stops for good on 401, and treats a poll
 * that neither answers nor fails within `watchdogMs` as a deaf connection (`degraded`, then polls again);
 * an update the core has not taken within `watchdogMs` is reported `degraded` too, until polling flows again.
 * Polling ends only with `stop` or a 401: anything else that goes wrong is logged, reported as
 * `disconnected`, and polled through with backoff, never a loop that ends while the status says `connected`.
 */
export function createTelegramPoller(options: TelegramPollerOptions) {
  const { clock, setStatus } = options;
  // Logging must not end polling: a logger that throws loses the line, not the channel.
  const log = (level: 'warn' | 'error', message: string, fields: Record<string, unknown>) => {
    try {
      options.logger()[level](message, fields);
    } catch {}
  };
  let offset = 0;
  let running: { active: boolean; controller?: AbortController; wake?: () => void; done: Promise<void> } | undefined;

  async function loop(run: NonNullable<typeof running>): Promise<void> {
    let failures = 0;
    let state: ChannelStatus['state'] = 'connected';
    const report = (status: ChannelStatus) => {
      state = status.state;
      setStatus(status);
    };
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer: TimerHandle = clock.setTimeout(resolve, ms);
        run.wake = () => {
          clock.clearTimeout(timer);
          resolve();
        };
      });
    const backoff = () => telegramPollBackoffMs[Math.min(failures, telegramPollBackoffMs.length - 1)] ?? 1_000;

    /** One poll and the hand-over of what it fetched. */
    async function step(): Promise<void> {
      const controller = new AbortController();
      run.controller = controller;
      let deaf = false;
      const watchdog = clock.setTimeout(() => {
        deaf = true;
        controller.abort();
      }, options.watchdogMs);
      let updates: Array<{ update_id: number }>;
      try {
        updates = await options.getUpdates(offset, controller.signal);
      } catch (error) {
        clock.clearTimeout(watchdog);
        if (!run.active) return;
        if (deaf) {
          const detail = `getUpdates neither answered nor failed within ${options.watchdogMs} ms; polling again`;
          log('warn', 'telegram poll is deaf', { watchdogMs: options.watchdogMs });
          report({ state: 'degraded', detail });
          return;
        }
        const mapped = error as ChannelApiError;
        if (mapped.status === 401) {
          report({ state: 'failed', error: `token rejected (401): ${errorMessage(error)}` });
          run.active = false;
          return;
        }
        const wait = mapped.retryAfterMs ?? backoff();
        failures += 1;
        log('warn', 'telegram poll failed', { error: errorMessage(error), retryInMs: wait });
        report({ state: 'disconnected', error: errorMessage(error) });
        await sleep(wait);
        return;
      }
      clock.clearTimeout(watchdog);
      if (!run.active) return;
      failures = 0;
      if (state !== 'connected') report({ state: 'connected' });
      for (const update of updates) {
        if (!run.active) return;
        // A hand-over that neither ends nor fails (a core that stopped answering) holds up polling: say so.
        const stalled = clock.setTimeout(() => {
          const detail = `the core has not taken update ${update.update_id} within ${options.watchdogMs} ms; still waiting`;
          log('warn', 'telegram update not taken', { updateId: update.update_id, watchdogMs: options.watchdogMs });
          try {
            report({ state: 'degraded', detail });
          } catch {}
        }, options.watchdogMs);
        try {
          await options.handle(update);
        } catch (error) {
          clock.clearTimeout(stalled);
          // Not confirmed: Telegram hands it again after the wait, and the store ignores what it kept.
          log('error', 'telegram update not stored; fetching it again', {
            updateId: update.update_id,
            error: errorMessage(error),
          });
          await sleep(telegramPollBackoffMs[0] ?? 1_000);
          return;
        }
        clock.clearTimeout(stalled);
        offset = update.update_id + 1;
        if (state !== 'connected') report({ state: 'connected' });
      }
    }

    while (run.active) {
      try {
        await step();
      } catch (error) {
        // A fault of this loop's own (a status the app could not take): say so, wait, poll on.
        if (!run.active) return;
        const wait = backoff();
        failures += 1;
        log('error', 'telegram polling failed; polling again', { error: errorMessage(error), retryInMs: wait });
        try {
          report({ state: 'disconnected', error: errorMessage(error) });
        } catch {}
        await sleep(wait);
      }
    }
  }

  return {
    /** Starts polling (from the last confirmed offset). */
    start(): void {
      const run: NonNullable<typeof running> = { active: true, done: Promise.resolve() };
      run.done = loop(run);
      running = run;
    },
    /** Stops polling: aborts the pending call and resolves once no update is being handed over. */
    async stop(): Promise<void> {
      const run = running;
      running = undefined;
      if (!run) return;
      run.active = false;
      run.controller?.abort();
      run.wake?.();
      await run.done;
    },
  };
}
