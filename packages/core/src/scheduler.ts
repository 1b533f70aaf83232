import type { ScheduledTask } from '@ngb/plugin-sdk';
import type { GatewayContext } from './gateway-context';
import { nextRunAt } from './schedule';

/** Wakes sessions when their scheduled tasks are due: one timer for the soonest task, never a poll. */
export interface Scheduler {
  /** Re-reads the soonest due time and sets the timer; call after any task change. */
  reschedule(): Promise<void>;
  stop(): void;
}

/** The session a task run goes to: its own session (group context) or a fresh one (isolated). */
async function taskSession(context: GatewayContext, task: ScheduledTask, runAt: number): Promise<string> {
  if (task.contextMode === 'group' && task.sessionId) return task.sessionId;
  const { session } = await context.store.sessions.getOrCreate({
    agentId: task.agentId,
    chatId: task.chatId ?? null,
    threadId: task.contextMode === 'isolated' ? `task:${task.id}:${runAt}` : null,
  });
  return session.id;
}

/** Creates the scheduler of a gateway. */
export function createScheduler(context: GatewayContext): Scheduler {
  let timer: ReturnType<GatewayContext['clock']['setTimeout']> | undefined;
  let stopped = false;

  const fire = async () => {
    timer = undefined;
    const now = context.clock.now();
    for (const task of await context.store.tasks.due(now)) {
      const sessionId = await taskSession(context, task, now);
      await context.store.inbox.add({ sessionId, kind: 'task', taskId: task.id });
      await context.plugins.notify('task:run', { taskId: task.id, agentId: task.agentId, prompt: task.prompt });
      let next: number | undefined;
      try {
        next = task.scheduleType === 'once' ? undefined : nextRunAt(task.scheduleType, task.scheduleValue, task.timezone, now);
      } catch (error) {
        context.logger.error('task schedule became invalid; task paused', { taskId: task.id, error });
        await context.store.tasks.update(task.id, { status: 'paused', lastRunAt: now, nextRunAt: null });
        continue;
      }
      await context.store.tasks.update(
        task.id,
        next === undefined ? { status: 'completed', lastRunAt: now, nextRunAt: null } : { lastRunAt: now, nextRunAt: next },
      );
      context.queue.wake(sessionId, 'task');
    }
    await reschedule();
  };

  const reschedule = async () => {
    if (stopped) return;
    if (timer !== undefined) context.clock.clearTimeout(timer);
    timer = undefined;
    const due = await context.store.tasks.nextDueAt();
    if (due === undefined) return;
    // Timers longer than ~24 days overflow; wake up and look again instead.
    const delay = Math.min(Math.max(0, due - context.clock.now()), 2 ** 31 - 1);
    timer = context.clock.setTimeout(() => {
      fire().catch((error: unknown) => context.logger.error('scheduler run failed', { error }));
    }, delay);
  };

  return {
    reschedule,
    stop() {
      stopped = true;
      if (timer !== undefined) context.clock.clearTimeout(timer);
    },
  };
}
