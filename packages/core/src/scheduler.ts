import type { ScheduledTask, TaskPatch } from '@ngb/plugin-sdk';
import type { GatewayContext } from './gateway-context';
import { homeChat, isEphemeralChannel } from './home-chat';
import { nextRunAt } from './schedule';

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

/**
 * The session a task run goes to: its own session (group context) or a fresh one (isolated). A
 * task of a terminal conversation, which nobody can read once its command ended, runs in the
 * agent's home chat instead; undefined when there is none.
 */
async function taskSession(context: GatewayContext, task: ScheduledTask, runAt: number): Promise<string | undefined> {
  let chatId = task.chatId ?? null;
  const chat = task.chatId ? await context.store.chats.get(task.chatId) : undefined;
  if (chat && isEphemeralChannel(context, chat.channel)) {
    const home = await homeChat(context, task.agentId);
    if (!home) return undefined;
    chatId = home.id;
  } else if (task.contextMode === 'group' && task.sessionId) return task.sessionId;
  const { session } = await context.store.sessions.getOrCreate({
    agentId: task.agentId,
    chatId,
    threadId: task.contextMode === 'isolated' ? `task:${task.id}:${runAt}` : null,
  });
  return session.id;
}

const unreachable =
  'not run: it was scheduled in a terminal conversation, and neither the agent nor the owner has a chat to send its result to';

/** Creates the scheduler of a gateway. */
export function createScheduler(context: GatewayContext): Scheduler {
  let timer: ReturnType<GatewayContext['clock']['setTimeout']> | undefined;
  let stopped = false;
  const firing = new Set<Promise<void>>();

  const fire = async () => {
    timer = undefined;
    const now = context.clock.now();
    for (const task of await context.store.tasks.due(now)) {
      let patch: Pick<TaskPatch, 'status' | 'nextRunAt' | 'lastRunAt'>;
      try {
        const next =
          task.scheduleType === 'once' ? undefined : nextRunAt(task.scheduleType, task.scheduleValue, task.timezone, now);
        patch =
          next === undefined ? { status: 'completed', lastRunAt: now, nextRunAt: null } : { lastRunAt: now, nextRunAt: next };
      } catch (error) {
        context.logger.error('task schedule became invalid; task paused', { taskId: task.id, error });
        patch = { status: 'paused', lastRunAt: now, nextRunAt: null };
      }
      const sessionId = await taskSession(context, task, now);
      // Claimed by compare-and-set on its due time: another process sharing the store fires it at most once.
      const claimed = await context.store.transaction(async (tx) => {
        if (!(await tx.tasks.claimRun(task.id, task.nextRunAt ?? now, patch))) return false;
        if (sessionId === undefined) {
          await tx.taskRuns.add({ taskId: task.id, startedAt: now, endedAt: now, status: 'failed', error: unreachable });
        } else {
          await tx.inbox.add({ sessionId, kind: 'task', taskId: task.id });
        }
        return true;
      });
      if (!claimed) continue;
      if (sessionId === undefined) {
        context.logger.warn(`scheduled task ${unreachable}`, { taskId: task.id, agentId: task.agentId });
        continue;
      }
      await context.plugins.notify('task:run', { taskId: task.id, agentId: task.agentId, prompt: task.prompt });
      context.queue.wake(sessionId, 'task');
    }
    await reschedule();
  };

  const reschedule = async () => {
    if (stopped || context.settings.takeOver === 'none') return;
    if (timer !== undefined) context.clock.clearTimeout(timer);
    timer = undefined;
    const due = await context.store.tasks.nextDueAt();
    if (due === undefined) return;
    // Timers longer than ~24 days overflow; wake up and look again instead.
    const delay = Math.min(Math.max(0, due - context.clock.now()), 2 ** 31 - 1);
    timer = context.clock.setTimeout(() => {
      const run = fire()
        .catch((error: unknown) => context.logger.error('scheduler run failed', { error }))
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
      if (timer !== undefined) context.clock.clearTimeout(timer);
    },
  };
}
