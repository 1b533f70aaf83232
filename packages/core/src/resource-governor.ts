import type { Clock, Logger, SandboxRuntime, TimerHandle } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import type { EventBus } from './events';
import type { SessionQueue } from './session-queue';

const mebibyte = 1024 * 1024;

/** The `memoryLimit` option of the gateway: when it degrades, when it recovers, how often it looks. */
export const memoryLimitSchema = v.pipe(
  v.object({
    /** Above this resident memory the gateway is degraded: no new turn starts, idle sandboxes are reaped. */
    degradedAboveBytes: v.pipe(v.number(), v.integer(), v.minValue(mebibyte, 'must be at least 1048576 (1 MiB)')),
    /** Below this it recovers by itself (hysteresis). @default 90 % of `degradedAboveBytes` */
    recoverBelowBytes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
    /** How often memory is read. @default 5000 */
    checkIntervalMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(10), v.maxValue(2 ** 31 - 1)), 5_000),
  }),
  v.forward(
    v.check(
      (limit) => limit.recoverBelowBytes === undefined || limit.recoverBelowBytes < limit.degradedAboveBytes,
      'must be below degradedAboveBytes',
    ),
    ['recoverBelowBytes'],
  ),
);

/** The memory limit after defaults. */
export type MemoryLimit = v.InferOutput<typeof memoryLimitSchema>;

/** Whether the gateway starts new turns, and if not, why. */
export type GatewayHealth =
  | { state: 'ok' }
  | {
      state: 'degraded';
      /** What a person reads: which limit, and the figure that passed it. */
      reason: string;
      /** When it became degraded, epoch ms. */
      since: number;
    };

/** What {@link createResourceGovernor} needs. */
export interface ResourceGovernorOptions {
  limit: MemoryLimit;
  /** The process's resident memory now, in bytes (the app reads it; libraries never read process state). */
  readMemory: () => number;
  clock: Clock;
  logger: Logger;
  /** Called on every change of health, after {@link ResourceGovernor.health} answers the new one. */
  onChange: (health: GatewayHealth) => void;
}

/** Watches memory on the clock and says when the gateway must stop starting turns, and when it may again. */
export interface ResourceGovernor {
  health(): GatewayHealth;
  /** Reads memory now and every `checkIntervalMs` after, until {@link stop}. */
  start(): void;
  stop(): void;
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / mebibyte)} MB`;
}

/**
 * Creates a {@link ResourceGovernor}: degraded once resident memory is above `degradedAboveBytes`,
 * healthy again only once it is below `recoverBelowBytes`, so a figure hovering at the threshold
 * does not flap. A reader that throws leaves the health as it was (logged).
 */
export function createResourceGovernor(options: ResourceGovernorOptions): ResourceGovernor {
  const { limit, clock, logger } = options;
  const recoverBelow = limit.recoverBelowBytes ?? Math.floor(limit.degradedAboveBytes * 0.9);
  let health: GatewayHealth = { state: 'ok' };
  let timer: TimerHandle | undefined;
  let running = false;

  const check = () => {
    let rss: number;
    try {
      rss = options.readMemory();
    } catch (error) {
      logger.warn('reading memory failed', { error });
      return;
    }
    if (health.state === 'ok' && rss > limit.degradedAboveBytes) {
      health = {
        state: 'degraded',
        reason: `memory ${megabytes(rss)} is above the limit of ${megabytes(limit.degradedAboveBytes)}: no new turns start until it is below ${megabytes(recoverBelow)}`,
        since: clock.now(),
      };
      logger.warn('degraded: memory above the limit', { rss, limit: limit.degradedAboveBytes });
      options.onChange(health);
    } else if (health.state === 'degraded' && rss < recoverBelow) {
      health = { state: 'ok' };
      logger.info('recovered: memory below the limit again', { rss, recoverBelow });
      options.onChange(health);
    }
  };

  const schedule = () => {
    timer = clock.setTimeout(() => {
      if (!running) return;
      check();
      schedule();
    }, limit.checkIntervalMs);
  };

  return {
    health: () => health,
    start() {
      if (running) return;
      running = true;
      check();
      schedule();
    },
    stop() {
      running = false;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** What {@link createMemoryGovernor} acts on. */
export interface MemoryGovernorOptions extends Omit<ResourceGovernorOptions, 'onChange'> {
  bus: EventBus;
  queue: Pick<SessionQueue, 'pause' | 'resume'>;
  runtime: Pick<SandboxRuntime, 'list' | 'reap'>;
}

/**
 * The gateway's governor: short of memory, the queue stops starting sessions (their messages stay in
 * the inbox) and the sandboxes no turn holds are stopped; once memory is back below the limit the
 * queue starts again. Every change of health is an event on the bus.
 */
export function createMemoryGovernor(options: MemoryGovernorOptions): ResourceGovernor {
  const { bus, queue, runtime, logger } = options;
  const reapUnclaimedSandboxes = async () => {
    let count = 0;
    for (const sandbox of await runtime.list())
      if (sandbox.claims === 0) count += await runtime.reap({ idleForMs: 0, sessionId: sandbox.sessionId });
    if (count > 0) bus.emit({ type: 'sandbox.reaped', count });
  };
  return createResourceGovernor({
    ...options,
    onChange: (health) => {
      bus.emit({ type: 'gateway.health', health });
      if (health.state === 'ok') {
        queue.resume();
        return;
      }
      queue.pause();
      void reapUnclaimedSandboxes().catch((error: unknown) => logger.warn('reaping idle sandboxes failed', { error }));
    },
  });
}
