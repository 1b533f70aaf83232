import {
  type Clock,
  type Logger,
  type Sandbox,
  type SandboxAcquireOptions,
  SandboxError,
  type SandboxInfo,
  type SandboxReapOptions,
  type SandboxSpec,
} from '@ngb/plugin-sdk';
import { PooledSandbox, type SandboxInstance } from './pooled-sandbox';

/** Options of {@link createSandboxPool}. */
export interface SandboxPoolOptions<Prepared> {
  maxSandboxes: number;
  idleTimeoutMs: number;
  clock: Clock;
  logger: Logger;
  /** Runs once before the first sandbox starts (engine check, orphan cleanup); run again after it fails. */
  setUp?: () => Promise<void>;
  /** Checks a spec and works out what starting it needs; throws `SandboxError`. */
  prepare: (spec: SandboxSpec) => Promise<Prepared>;
  /** Starts one sandbox program and waits for its hello. */
  start: (prepared: Prepared, spec: SandboxSpec) => Promise<SandboxInstance>;
}

/** The part of a runtime that is the same for every driver: one warm sandbox per session, a cap, a queue. */
export interface SandboxPool {
  acquire(spec: SandboxSpec, options?: SandboxAcquireOptions): Promise<Sandbox>;
  list(): SandboxInfo[];
  reap(options?: SandboxReapOptions): Promise<number>;
  close(): Promise<void>;
}

interface Waiter {
  grant: () => void;
  refuse: (error: SandboxError) => void;
}

interface SlotClaim {
  /** Resolves once the slot is ours; rejects when aborted or the runtime closes. */
  granted: Promise<void>;
  /** Gives the slot back, or leaves the queue; no effect once the slot is in use by a sandbox. */
  cancel: () => void;
}

/**
 * Creates the pool. At most `maxSandboxes` run or start at once; further acquires wait in
 * arrival order. While some wait, unclaimed sandboxes without a running call are stopped to make
 * room, least recently used first.
 */
export function createSandboxPool<Prepared>(options: SandboxPoolOptions<Prepared>): SandboxPool {
  const sandboxes = new Map<string, PooledSandbox>();
  const creating = new Map<string, Promise<PooledSandbox>>();
  const waiters: Waiter[] = [];
  const evicting = new Set<PooledSandbox>();
  let slotsTaken = 0;
  let closed = false;
  let setUpDone: Promise<void> | undefined;

  const closedRuntimeError = () => new SandboxError('closed', '[@ngb/runtime] the sandbox runtime was closed');

  const setUp = (): Promise<void> => {
    if (!options.setUp) return Promise.resolve();
    setUpDone ??= options.setUp().catch((error: unknown) => {
      setUpDone = undefined;
      throw error;
    });
    return setUpDone;
  };

  const grantSlots = () => {
    while (waiters.length > 0 && slotsTaken < options.maxSandboxes) {
      slotsTaken += 1;
      (waiters.shift() as Waiter).grant();
    }
    evictForWaiters();
  };

  const freeSlot = () => {
    slotsTaken -= 1;
    grantSlots();
  };

  const evictForWaiters = () => {
    const wanted = waiters.length - evicting.size;
    if (wanted <= 0) return;
    const candidates = [...sandboxes.values()]
      .filter((sandbox) => sandbox.isOpen && sandbox.claims === 0 && sandbox.callsInFlight === 0 && !sandbox.isStarting)
      .filter((sandbox) => !evicting.has(sandbox))
      .sort((a, b) => a.lastActiveAt - b.lastActiveAt)
      .slice(0, wanted);
    for (const sandbox of candidates) {
      evicting.add(sandbox);
      options.logger.info('stopping an unclaimed sandbox to make room', {
        sessionId: sandbox.sessionId,
        waiting: waiters.length,
      });
      void sandbox.close().finally(() => evicting.delete(sandbox));
    }
  };

  /** Joins the queue for a slot at once (so arrival order is call order); `cancel` gives it back. */
  const takeSlot = (signal: AbortSignal | undefined): SlotClaim => {
    let granted = false;
    let finished = false;
    let waiter: Waiter | undefined;
    const promise = new Promise<void>((resolve, reject) => {
      if (closed) {
        finished = true;
        reject(closedRuntimeError());
        return;
      }
      if (signal?.aborted) {
        finished = true;
        reject(new SandboxError('aborted', '[@ngb/runtime] the acquire was aborted'));
        return;
      }
      if (slotsTaken < options.maxSandboxes && waiters.length === 0) {
        slotsTaken += 1;
        granted = true;
        resolve();
        return;
      }
      const onAbort = () => {
        const index = waiter ? waiters.indexOf(waiter) : -1;
        if (index === -1) return;
        waiters.splice(index, 1);
        finished = true;
        reject(new SandboxError('aborted', '[@ngb/runtime] stopped waiting for a free sandbox slot'));
      };
      waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          granted = true;
          resolve();
        },
        refuse: (error) => {
          signal?.removeEventListener('abort', onAbort);
          finished = true;
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      waiters.push(waiter);
      options.logger.debug('waiting for a free sandbox slot', { waiting: waiters.length, max: options.maxSandboxes });
      evictForWaiters();
    });
    promise.catch(() => {});
    return {
      granted: promise,
      cancel: () => {
        if (finished) return;
        finished = true;
        if (granted) freeSlot();
        else if (waiter && waiters.includes(waiter)) waiters.splice(waiters.indexOf(waiter), 1);
      },
    };
  };

  const create = async (spec: SandboxSpec, signal: AbortSignal | undefined): Promise<PooledSandbox> => {
    const slot = takeSlot(signal);
    let prepared: Prepared;
    try {
      await setUp();
      prepared = await options.prepare(spec);
    } catch (error) {
      slot.cancel();
      throw error;
    }
    await slot.granted;
    if (closed) {
      slot.cancel();
      throw closedRuntimeError();
    }
    const sandbox: PooledSandbox = new PooledSandbox({
      spec,
      start: () => options.start(prepared, spec),
      clock: options.clock,
      idleTimeoutMs: options.idleTimeoutMs,
      logger: options.logger,
      onClosed: (done) => {
        if (sandboxes.get(done.sessionId) === done) sandboxes.delete(done.sessionId);
        freeSlot();
      },
      onEvictable: () => evictForWaiters(),
    });
    sandboxes.set(spec.sessionId, sandbox);
    try {
      await sandbox.ensureInstance();
    } catch (error) {
      await sandbox.close();
      throw error;
    }
    sandbox.scheduleIdleCheck();
    return sandbox;
  };

  return {
    async acquire(spec, acquireOptions = {}) {
      for (;;) {
        if (closed) throw closedRuntimeError();
        let creation = creating.get(spec.sessionId);
        const existing = sandboxes.get(spec.sessionId);
        if (!creation && existing?.isOpen) {
          existing.claim();
          return existing;
        }
        const mine = creation === undefined;
        if (!creation) {
          creation = create(spec, acquireOptions.signal).finally(() => creating.delete(spec.sessionId));
          creating.set(spec.sessionId, creation);
        }
        try {
          const sandbox = await creation;
          sandbox.claim();
          return sandbox;
        } catch (error) {
          // Another acquire's abort must not fail this one: try again with our own signal.
          const othersAbort = !mine && SandboxError.isInstance(error) && error.reason === 'aborted';
          if (!othersAbort || acquireOptions.signal?.aborted) throw error;
        }
      }
    },

    list() {
      return [...sandboxes.values()].filter((sandbox) => sandbox.isOpen).map((sandbox) => sandbox.info());
    },

    async reap(reapOptions = {}) {
      const idleForMs = reapOptions.idleForMs ?? options.idleTimeoutMs;
      const now = options.clock.now();
      const idle = [...sandboxes.values()].filter(
        (sandbox) =>
          sandbox.isOpen &&
          !sandbox.isStarting &&
          sandbox.callsInFlight === 0 &&
          now - sandbox.lastActiveAt >= idleForMs &&
          (reapOptions.sessionId === undefined || sandbox.sessionId === reapOptions.sessionId),
      );
      await Promise.all(idle.map((sandbox) => sandbox.close()));
      return idle.length;
    },

    async close() {
      closed = true;
      for (const waiter of waiters.splice(0)) waiter.refuse(closedRuntimeError());
      await Promise.allSettled([...creating.values()]);
      await Promise.all([...sandboxes.values()].map((sandbox) => sandbox.close()));
    },
  };
}
