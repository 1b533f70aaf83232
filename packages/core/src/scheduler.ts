import type { Clock, Logger, ScheduledTask, Store, StoreRepositories, TaskPatch } from '@ngb/plugin-sdk';
import type { Heartbeats } from './heartbeats';
import { type ChatPlaces, homeChat, isEphemeralChannel } from './home-chat';
import type { PluginHost } from './plugin-host';
import { nextRunAt } from './schedule';
import type { SessionQueue } from './session-queue';
import type { RunUnitOfWork, UnitOfWork } from './unit-of-work';

/** Wakes sessions when their scheduled tasks are due: one timer for the soonest task, never a poll. */
export interface Scheduler {
  /** Re-reads the soonest due time and sets the timer; call after any task change. */
  reschedule(): Promise<void>;
  /** Resolves when no due task is being handed to its session. */
  idle(): Promise<void>;
  /** True while due tasks are being handed to their sessions. */
  busy(): boolean;
  stop(): void;
}

/** What the scheduler needs. */
export interface SchedulerOptions {
  store: Store;
  runUnit: RunUnitOfWork;
  clock: Clock;
  logger: Logger;
  places: ChatPlaces;
  plugins: Pick<PluginHost, 'notify'>;
  wake: SessionQueue['wake'];
  /** False for a gateway that fires no scheduled tasks (a terminal conversation). */
  firesTasks: boolean;
  /** Where a due heartbeat runs, if at all (its active hours, the main chat, no overlap). */
  heartbeats: Pick<Heartbeats, 'sessionFor'>;
}

/**
 * The session a task run goes to: its own session (group context) or a fresh one (isolated). A
 * task of a terminal conversation, which nobody can read once its command ended, runs in the
 * agent's home chat instead; undefined when there is none.
 */
async function taskSession(
  store: StoreRepositories,
  places: ChatPlaces,
  task: ScheduledTask,
  runAt: number,
): Promise<string | undefined> {
  let chatId = task.chatId ?? null;
  const chat = task.chatId ? await store.chats.get(task.chatId) : undefined;
  if (chat && isEphemeralChannel(places, chat.channel)) {
    const home = await homeChat(store, places, task.agentId);
    if (!home) return undefined;
    chatId = home.id;
  } else if (task.contextMode === 'group' && task.sessionId) return task.sessionId;
  const { session } = await store.sessions.getOrCreate({
    agentId: task.agentId,
    chatId,
    threadId: task.contextMode === 'isolated' ? `task:${task.id}:${runAt}` : null,
  });
  return session.id;
}

/** Creates the scheduler of a gateway. */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const { clock, logger, places } = options;
  let timer: ReturnType<Clock['setTimeout']> | undefined;
  let stopped = false;
  const firing = new Set<Promise<void>>();

  /**
   * Hands one due task to its session: the inbox row, the task's next run and the wake-up are one
   * unit, so a crash either leaves the task due (it fires again) or fired once (never both).
   */
  const fireTask = async (unit: UnitOfWork, due: ScheduledTask, now: number) => {
    const store = unit.tx;
    // Read again inside the transaction: another firing may have handled it meanwhile.
    const task = await store.tasks.get(due.id);
    if (task?.status !== 'active' || task.nextRunAt === undefined || task.nextRunAt > now) return;
    let patch: Pick<TaskPatch, 'status' | 'nextRunAt' | 'lastRunAt'>;
    try {
      const next =
        task.scheduleType === 'once' ? undefined : nextRunAt(task.scheduleType, task.scheduleValue, task.timezone, now);
      patch = next === undefined ? { status: 'completed', lastRunAt: now, nextRunAt: null } : { lastRunAt: now, nextRunAt: next };
    } catch (error) {
      logger.error('task schedule became invalid; task paused', { taskId: task.id, error });
      patch = { status: 'paused', lastRunAt: now, nextRunAt: null };
    }
    // Claimed by compare-and-set on its due time: another process sharing the store fires it at most once.
    if (!(await store.tasks.claimRun(task.id, task.nextRunAt, patch))) return;
    if (task.kind === 'heartbeat') {
      const sessionId = await options.heartbeats.sessionFor(unit, task, now);
      if (sessionId === undefined) return;
      await store.inbox.add({ sessionId, kind: 'task', taskId: task.id });
      unit.after(() => options.wake(sessionId, 'task'));
      return;
    }
    const sessionId = await taskSession(store, places, task, now);
    if (sessionId === undefined) {
      const error =
        'not run: it was scheduled in a terminal conversation, and neither the agent nor the owner has a chat to send its result to';
      logger.warn(`scheduled task ${error}`, { taskId: task.id, agentId: task.agentId });
      await store.taskRuns.add({ taskId: task.id, startedAt: now, endedAt: now, status: 'failed', error });
      return;
    }
    await store.inbox.add({ sessionId, kind: 'task', taskId: task.id });
    unit.after(() => options.plugins.notify('task:run', { taskId: task.id, agentId: task.agentId, prompt: task.prompt }));
    unit.after(() => options.wake(sessionId, 'task'));
  };

  const fire = async () => {
    timer = undefined;
    const now = clock.now();
    for (const task of await options.store.tasks.due(now)) await options.runUnit((unit) => fireTask(unit, task, now));
    await reschedule();
  };

  const reschedule = async () => {
    if (stopped || !options.firesTasks) return;
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    const due = await options.store.tasks.nextDueAt();
    if (due === undefined) return;
    // Timers longer than ~24 days overflow; wake up and look again instead.
    const delay = Math.min(Math.max(0, due - clock.now()), 2 ** 31 - 1);
    timer = clock.setTimeout(() => {
      const run = fire()
        .catch((error: unknown) => logger.error('scheduler run failed', { error }))
        .finally(() => firing.delete(run));
      firing.add(run);
    }, delay);
  };

  return {
    reschedule,
    async idle() {
      while (firing.size > 0) await Promise.all(firing);
    },
    busy: () => firing.size > 0,
    stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
    },
  };
}
