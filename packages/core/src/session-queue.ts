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

/**
 * Schedules sessions: one turn at a time per session, a global cap, tasks first, then arrival order.
 * A running session may step out of the cap while it waits for a person ({@link SessionQueue.park}):
 * its slot goes to the next session, its own lane stays closed (a wake runs it again only after its
 * run ended), and it takes a slot again before any waiting session when the person answered.
 */
export interface SessionQueue {
  /** Asks for the session to run. A running (or parked) session is marked to run again afterwards. */
  wake(sessionId: string, kind: WakeKind): void;
  /** Keeps a session out of the queue (waiting for a retry) until {@link release}. */
  hold(sessionId: string): void;
  /** Ends a hold and queues the session. */
  release(sessionId: string, kind: WakeKind): void;
  /**
   * Gives a running session's slot back while its run waits for a person (an `ask_user` answer):
   * the next waiting session starts. Does nothing for a session that is not running or parked already.
   */
  park(sessionId: string): void;
  /**
   * Ends a {@link park}: resolves once the session holds a slot again. A returning session goes before
   * every waiting one (its turn is half done), and is let back in while the queue drains (its run
   * is still in progress and must finish). Resolves at once for a session that is not parked.
   */
  unpark(sessionId: string): Promise<void>;
  /** Sessions holding a slot now. */
  running(): string[];
  /** Sessions whose run is in progress but waits for a person, without a slot (returning ones included). */
  parked(): string[];
  /** Sessions waiting for a slot, in the order they will run. */
  waiting(): string[];
  /**
   * Resolves once no session is running, parked or waiting (at once when none is). A parked session
   * is not idle: its turn is not over.
   */
  whenIdle(): Promise<void>;
  /**
   * Stops starting new runs; resolves when no session holds a slot. Parked sessions do not hold it
   * up: a person may take a day to answer. The caller ends their waits the way a restart does
   * (aborting the runs, the question staying pending in the store so the turn resumes after the
   * next start) and then awaits {@link whenIdle}.
   */
  drain(): Promise<void>;
  /**
   * Stops starting waiting sessions until {@link resume} (the gateway is short of memory): they stay
   * queued in order and nothing is lost. Running sessions finish their turn, and a parked session
   * still gets its slot back (its turn is half done).
   */
  pause(): void;
  /** Ends a {@link pause}: waiting sessions start again, up to the cap. */
  resume(): void;
}

/** Creates a {@link SessionQueue}. */
export function createSessionQueue(options: SessionQueueOptions): SessionQueue {
  const waitingTasks: string[] = [];
  const waitingMessages: string[] = [];
  const active = new Set<string>();
  const parked = new Set<string>();
  /** Parked sessions asking for a slot again, in the order they asked, with their waiters. */
  const returning: Array<{ sessionId: string; resume: () => void; back: Promise<void> }> = [];
  const again = new Map<string, WakeKind>();
  const held = new Set<string>();
  let draining = false;
  let paused = false;
  let idleWaiters: Array<() => void> = [];
  let drainWaiters: Array<() => void> = [];
  const queued = () => waitingTasks.length > 0 || waitingMessages.length > 0;
  const isIdle = () => active.size === 0 && parked.size === 0 && (draining || !queued());
  const isDrained = () => draining && active.size === 0 && returning.length === 0;
  const notify = () => {
    if (isIdle()) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
    if (isDrained()) {
      const waiters = drainWaiters;
      drainWaiters = [];
      for (const resolve of waiters) resolve();
    }
  };

  const isWaiting = (sessionId: string) => waitingTasks.includes(sessionId) || waitingMessages.includes(sessionId);
  const isRunning = (sessionId: string) => active.has(sessionId) || parked.has(sessionId);

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
    while (active.size < options.maxConcurrent) {
      const back = returning.shift();
      if (back) {
        parked.delete(back.sessionId);
        active.add(back.sessionId);
        back.resume();
        continue;
      }
      if (draining || paused) break;
      const sessionId = waitingTasks.shift() ?? waitingMessages.shift();
      if (sessionId === undefined) break;
      start(sessionId);
    }
    notify();
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
        // A run that ended while parked (it should unpark first) leaves nothing behind.
        parked.delete(sessionId);
        const index = returning.findIndex((entry) => entry.sessionId === sessionId);
        if (index >= 0) returning.splice(index, 1)[0]?.resume();
        const kind = again.get(sessionId);
        again.delete(sessionId);
        if (kind !== undefined && !held.has(sessionId)) enqueue(sessionId, kind);
        pump();
      });
  };

  return {
    wake(sessionId, kind) {
      if (held.has(sessionId)) return;
      if (isRunning(sessionId)) {
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
      if (isRunning(sessionId)) again.set(sessionId, kind);
      else enqueue(sessionId, kind);
      pump();
    },
    park(sessionId) {
      if (!active.has(sessionId)) return;
      active.delete(sessionId);
      parked.add(sessionId);
      pump();
    },
    unpark(sessionId) {
      if (!parked.has(sessionId)) return Promise.resolve();
      const asked = returning.find((entry) => entry.sessionId === sessionId);
      if (asked) return asked.back;
      let resume!: () => void;
      const back = new Promise<void>((resolve) => {
        resume = resolve;
      });
      returning.push({ sessionId, resume, back });
      pump();
      return back;
    },
    running: () => [...active],
    parked: () => [...parked],
    waiting: () => [...waitingTasks, ...waitingMessages],
    whenIdle() {
      if (isIdle()) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    drain() {
      draining = true;
      if (isDrained()) return Promise.resolve();
      return new Promise((resolve) => drainWaiters.push(resolve));
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      pump();
    },
  };
}
