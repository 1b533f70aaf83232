import type { Clock, Logger, SessionLeasesRepository, TimerHandle } from '@ngb/plugin-sdk';

/** What {@link createSessionLeases} needs. */
export interface SessionLeasesOptions {
  /** The store's leases. */
  leases: SessionLeasesRepository;
  /** This gateway process, as the store records it (random per process). */
  holderId: string;
  clock: Clock;
  /** How long a lease lasts unless renewed; renewed every third of it. */
  leaseMs: number;
  logger: Logger;
}

/** How a gateway takes over sessions it did not start. */
export interface LeaseTakeOver {
  /** Hands a session that may now run here to the gateway (its queue, its unsent replies). */
  resume(sessionId: string): void | Promise<void>;
  /**
   * Whether this gateway takes over a session with pending work that nobody (or a dead process)
   * holds. Left out, it takes over none: it runs only the sessions its own intake wakes.
   */
  accepts?: (sessionId: string) => Promise<boolean>;
}

/**
 * The leases of one gateway process: a session runs here only while this process holds its lease.
 * The lease is taken before a turn starts and renewed on a timer (every third of its length). At
 * the renewal after the session has no work left (no pending inbox entry, no unsent reply) it is
 * released, and all are released when the gateway stops. Until then a conversation's next turn runs
 * on the lease it holds, without a write of its own: a lease is taken again only when less than half
 * of it is left. Pending work found at a renewal of a lease held here with no turn running (a
 * message another process stored) is run here. A session held by another process is taken over
 * when that lease expires: one timer at the earliest such expiry, never a poll.
 */
export interface SessionLeases {
  readonly holderId: string;
  /** Takes over what is free now and arms the takeover timer. */
  start(takeOver: LeaseTakeOver): Promise<void>;
  /**
   * Runs `turn` while holding the session's lease. When another process holds it, nothing runs
   * and the session is resumed here once that lease expired. `signal` aborts when the lease is lost
   * mid-turn (this process stalled past its expiry and another took the session over).
   * @returns what `turn` returned, or false when it did not run
   */
  run(sessionId: string, turn: (signal: AbortSignal) => Promise<boolean>): Promise<boolean>;
  /** True while this process holds the session's lease (its replies may be delivered from here). */
  holds(sessionId: string): boolean;
  /** Stops the timers and releases every lease held. */
  stop(): Promise<void>;
}

/** Creates the {@link SessionLeases} of a gateway process. */
export function createSessionLeases(options: SessionLeasesOptions): SessionLeases {
  const { leases, holderId, clock, leaseMs, logger } = options;
  const held = new Set<string>();
  // When each lease held here ends unless renewed, as this process last wrote it.
  const expiries = new Map<string, number>();
  // Sessions running a turn here, with what aborts it when the lease is lost.
  const running = new Map<string, AbortController>();
  // Sessions this process was asked to run while another process held them.
  const waiting = new Set<string>();
  let takeOver: LeaseTakeOver | undefined;
  let renewTimer: TimerHandle | undefined;
  let wakeTimer: TimerHandle | undefined;
  let stopped = false;
  // When the last sweep listed the available sessions: a lease that expired since is still due one.
  let sweptAt = 0;
  let chain: Promise<void> = Promise.resolve();

  const times = () => {
    const now = clock.now();
    return { now, expiresAt: now + leaseMs };
  };
  // Sweeps and timer arming run one at a time, so two of them never race for the one wake timer.
  const serially = (step: () => Promise<void>) => {
    chain = chain.then(step).catch((error: unknown) => logger.warn('session lease takeover failed', { error }));
    return chain;
  };

  const hold = (sessionId: string, expiresAt: number) => {
    held.add(sessionId);
    expiries.set(sessionId, expiresAt);
  };
  const forget = (sessionId: string) => {
    held.delete(sessionId);
    expiries.delete(sessionId);
  };
  const release = async (sessionId: string) => {
    forget(sessionId);
    await leases.release(sessionId, holderId);
  };
  // Held here with more than half of it left: no other process can take it before the next renewal.
  const stillHeld = (sessionId: string) => held.has(sessionId) && (expiries.get(sessionId) ?? 0) - clock.now() > leaseMs / 2;

  // Running sessions keep their lease; between the checks a new turn may have started here.
  // @returns true when the session is idle here yet has pending work (stored by another process)
  const releaseIfDone = async (sessionId: string): Promise<boolean> => {
    if (running.has(sessionId) || !held.has(sessionId)) return false;
    const pending = await leases.hasPendingWork(sessionId);
    if (!pending && !running.has(sessionId) && held.has(sessionId)) await release(sessionId);
    return pending && !running.has(sessionId) && held.has(sessionId);
  };

  const renewAll = async () => {
    renewTimer = undefined;
    for (const sessionId of [...held]) {
      try {
        const idleWithWork = await releaseIfDone(sessionId);
        if (!held.has(sessionId)) continue;
        const renewed = times();
        if (await leases.renew(sessionId, holderId, renewed)) {
          expiries.set(sessionId, renewed.expiresAt);
          if (idleWithWork) await takeOver?.resume(sessionId);
        } else {
          forget(sessionId);
          logger.warn('lost the lease of a session to another process', { sessionId, holderId });
          running.get(sessionId)?.abort(new Error('[@ngb/core] the session lease was taken over by another process'));
        }
      } catch (error) {
        logger.warn('renewing a session lease failed', { sessionId, error });
      }
    }
    armRenewal();
  };

  const armRenewal = () => {
    if (stopped || renewTimer !== undefined || held.size === 0) return;
    renewTimer = clock.setTimeout(() => void renewAll(), Math.max(1, Math.floor(leaseMs / 3)));
  };

  const armWake = async () => {
    if (wakeTimer !== undefined) clock.clearTimeout(wakeTimer);
    wakeTimer = undefined;
    if (stopped || takeOver === undefined) return;
    const now = clock.now();
    let next = takeOver.accepts ? await leases.nextExpiry(holderId, sweptAt) : undefined;
    for (const sessionId of waiting) {
      const lease = await leases.get(sessionId);
      const free = lease === undefined || lease.holderId === holderId || lease.expiresAt <= now;
      const at = free ? now : lease.expiresAt;
      next = next === undefined ? at : Math.min(next, at);
    }
    if (next === undefined) return;
    wakeTimer = clock.setTimeout(
      () => {
        wakeTimer = undefined;
        void serially(sweep);
      },
      Math.max(0, next - clock.now()),
    );
  };

  const sweep = async () => {
    if (stopped || takeOver === undefined) return;
    const now = clock.now();
    if (takeOver.accepts) {
      sweptAt = now;
      for (const sessionId of await leases.listAvailable(holderId, now)) {
        if (stopped) return;
        if (held.has(sessionId) || running.has(sessionId) || !(await takeOver.accepts(sessionId))) continue;
        const taken = times();
        if (!(await leases.acquire(sessionId, holderId, taken))) continue;
        hold(sessionId, taken.expiresAt);
        waiting.delete(sessionId);
        armRenewal();
        logger.info('took over a session', { sessionId, holderId });
        await takeOver.resume(sessionId);
      }
    }
    for (const sessionId of [...waiting]) {
      const lease = await leases.get(sessionId);
      if (lease !== undefined && lease.holderId !== holderId && lease.expiresAt > clock.now()) continue;
      waiting.delete(sessionId);
      await takeOver.resume(sessionId);
    }
    await armWake();
  };

  return {
    holderId,
    async start(how) {
      takeOver = how;
      await serially(sweep);
    },
    async run(sessionId, turn) {
      if (stopped) return false;
      const lost = new AbortController();
      running.set(sessionId, lost);
      try {
        if (!stillHeld(sessionId)) {
          const taken = times();
          const acquired = await leases.acquire(sessionId, holderId, taken).catch((error: unknown) => {
            logger.warn('taking a session lease failed', { sessionId, error });
            return false;
          });
          if (!acquired) {
            forget(sessionId);
            waiting.add(sessionId);
            void serially(armWake);
            return false;
          }
          hold(sessionId, taken.expiresAt);
        }
        waiting.delete(sessionId);
        armRenewal();
        return await turn(lost.signal);
      } finally {
        // The lease stays until the next renewal finds the session without work: the conversation's
        // next turn, most often seconds away, needs no write to take it again.
        running.delete(sessionId);
      }
    },
    holds: (sessionId) => held.has(sessionId),
    async stop() {
      stopped = true;
      if (renewTimer !== undefined) clock.clearTimeout(renewTimer);
      if (wakeTimer !== undefined) clock.clearTimeout(wakeTimer);
      renewTimer = undefined;
      wakeTimer = undefined;
      await chain;
      for (const sessionId of [...held]) {
        await release(sessionId).catch((error: unknown) => logger.warn('releasing a lease failed', { sessionId, error }));
      }
    },
  };
}
