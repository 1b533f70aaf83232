/** Why a session is waiting: scheduled tasks go before messages. */
type WakeKind = 'task' | 'message';

/** Options of {@link createSessionQueue}. */
export interface SessionQueueOptions {
  /** Sessions running a turn at once. */
  maxConcurrent: number;
  /**
   * Runs the session until it has nothing pending. The queue never runs one session twice at once.
   * @returns true when the session should be run again (more work arrived)
   */
  run: (sessionId: string) => Promise<boolean>;
  /** Called when `run` throws (it should not); the session is released. */
  onError: (sessionId: string, error: unknown) => void;
}

/** Schedules sessions: one turn at a time per session, a global cap, tasks first, then arrival order. */
export interface SessionQueue {
  /** Asks for the session to run. A running session is marked to run again afterwards. */
  wake(sessionId: string, kind: WakeKind): void;
  /** Keeps a session out of the queue (waiting for a retry) until {@link release}. */
  hold(sessionId: string): void;
  /** Ends a hold and queues the session. */
  release(sessionId: string, kind: WakeKind): void;
  /** Sessions running now. */
  running(): string[];
  /** Sessions waiting for a slot, in the order they will run. */
  waiting(): string[];
  /** Resolves once no session is running or waiting (at once when none is). */
  whenIdle(): Promise<void>;
  /** Stops starting new runs; resolves when the running ones finish. */
  drain(): Promise<void>;
}

/** Creates a {@link SessionQueue}. */
export function createSessionQueue(options: SessionQueueOptions): SessionQueue {
  const waitingTasks: string[] = [];
  const waitingMessages: string[] = [];
  const active = new Set<string>();
  const again = new Map<string, WakeKind>();
  const held = new Set<string>();
  let draining = false;
  let idleWaiters: Array<() => void> = [];
  const isIdle = () => active.size === 0 && (draining || (waitingTasks.length === 0 && waitingMessages.length === 0));
  const notifyIdle = () => {
    if (!isIdle()) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const isWaiting = (sessionId: string) => waitingTasks.includes(sessionId) || waitingMessages.includes(sessionId);

  const enqueue = (sessionId: string, kind: WakeKind) => {
    if (kind === 'task') {
      const index = waitingMessages.indexOf(sessionId);
      if (index >= 0) waitingMessages.splice(index, 1);
      if (!waitingTasks.includes(sessionId)) waitingTasks.push(sessionId);
    } else if (!isWaiting(sessionId)) {
      waitingMessages.push(sessionId);
    }
  };

  const pump = () => {
    while (!draining && active.size < options.maxConcurrent) {
      const sessionId = waitingTasks.shift() ?? waitingMessages.shift();
      if (sessionId === undefined) break;
      start(sessionId);
    }
    notifyIdle();
  };

  const start = (sessionId: string) => {
    active.add(sessionId);
    void options
      .run(sessionId)
      .then(
        (more) => {
          if (more && !again.has(sessionId)) again.set(sessionId, 'message');
        },
        (error: unknown) => options.onError(sessionId, error),
      )
      .finally(() => {
        active.delete(sessionId);
        const kind = again.get(sessionId);
        again.delete(sessionId);
        if (kind !== undefined && !held.has(sessionId)) enqueue(sessionId, kind);
        pump();
      });
  };

  return {
    wake(sessionId, kind) {
      if (held.has(sessionId)) return;
      if (active.has(sessionId)) {
        if (again.get(sessionId) !== 'task') again.set(sessionId, kind);
        return;
      }
      enqueue(sessionId, kind);
      pump();
    },
    hold(sessionId) {
      held.add(sessionId);
      for (const list of [waitingTasks, waitingMessages]) {
        const index = list.indexOf(sessionId);
        if (index >= 0) list.splice(index, 1);
      }
      again.delete(sessionId);
    },
    release(sessionId, kind) {
      held.delete(sessionId);
      if (active.has(sessionId)) again.set(sessionId, kind);
      else enqueue(sessionId, kind);
      pump();
    },
    running: () => [...active],
    waiting: () => [...waitingTasks, ...waitingMessages],
    whenIdle() {
      if (isIdle()) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    drain() {
      draining = true;
      return this.whenIdle();
    },
  };
}
