import { describe, expect, it } from 'vitest';
import type { NewScheduledTask, Store } from '../../contracts/store';
import type { ContextAccessor } from './context';
import { expectNotFound, seedAgent, seedChat, startTime } from './context';

async function seedTask(store: Store, overrides: Partial<NewScheduledTask> = {}) {
  const agentId = overrides.agentId ?? (await seedAgent(store)).id;
  return store.tasks.create({
    agentId,
    prompt: 'Send the weather summary',
    scheduleType: 'cron',
    scheduleValue: '0 8 * * *',
    timezone: 'Europe/Berlin',
    contextMode: 'group',
    nextRunAt: startTime + 1000,
    ...overrides,
  });
}

export function describeTaskCases(context: ContextAccessor): void {
  describe('tasks', () => {
    it('creates an active task and reads it back', async () => {
      const { store } = context();
      const agent = await seedAgent(store);
      const chat = await seedChat(store);
      const { session } = await store.sessions.getOrCreate({ agentId: agent.id, chatId: chat.id, threadId: null });
      const task = await seedTask(store, { agentId: agent.id, chatId: chat.id, sessionId: session.id });
      expect(task).toEqual({
        id: task.id,
        kind: 'task',
        agentId: agent.id,
        sessionId: session.id,
        chatId: chat.id,
        prompt: 'Send the weather summary',
        scheduleType: 'cron',
        scheduleValue: '0 8 * * *',
        timezone: 'Europe/Berlin',
        contextMode: 'group',
        status: 'active',
        nextRunAt: startTime + 1000,
        createdAt: startTime,
        updatedAt: startTime,
      });
      expect(task.lastRunAt).toBeUndefined();
      expect(await store.tasks.get(task.id)).toEqual(task);
      expect(await store.tasks.get('ghost')).toBeUndefined();
    });

    it('keeps the kind of a heartbeat task and refuses an unknown kind', async () => {
      const { store } = context();
      const agent = await seedAgent(store);
      const heartbeat = await seedTask(store, { agentId: agent.id, kind: 'heartbeat' });
      expect((await store.tasks.get(heartbeat.id))?.kind).toBe('heartbeat');
      await expect(seedTask(store, { agentId: agent.id, kind: 'bogus' as 'task' })).rejects.toThrow(/kind/);
    });

    it('lists tasks oldest first with filters', async () => {
      const { store } = context();
      const agent = await seedAgent(store);
      const a = await seedTask(store, { agentId: agent.id });
      const b = await seedTask(store);
      const c = await seedTask(store, { agentId: agent.id, status: 'paused' });
      const ids = async (filter?: Parameters<Store['tasks']['list']>[0]) =>
        (await store.tasks.list(filter)).map((task) => task.id);
      expect(await ids()).toEqual([a.id, b.id, c.id]);
      expect(await ids({ agentId: agent.id })).toEqual([a.id, c.id]);
      expect(await ids({ status: 'paused' })).toEqual([c.id]);
      expect(await ids({ agentId: agent.id, status: 'active' })).toEqual([a.id]);
    });

    it('updates a task and clears times with null', async () => {
      const { store, advance, now } = context();
      const task = await seedTask(store);
      advance(1000);
      const ran = await store.tasks.update(task.id, { lastRunAt: now(), nextRunAt: now() + 86_400_000 });
      expect(ran).toMatchObject({ lastRunAt: now(), nextRunAt: now() + 86_400_000, updatedAt: now() });
      const done = await store.tasks.update(task.id, { status: 'completed', nextRunAt: null, prompt: 'changed' });
      expect(done).toMatchObject({ status: 'completed', prompt: 'changed', lastRunAt: now() });
      expect(done.nextRunAt).toBeUndefined();
      await expectNotFound(store.tasks.update('ghost', { status: 'paused' }), 'task', 'ghost');
    });

    it('returns due active tasks, earliest first, and the next due time', async () => {
      const { store } = context();
      const agent = await seedAgent(store);
      const at = (offset: number) => startTime + offset;
      const late = await seedTask(store, { agentId: agent.id, nextRunAt: at(300) });
      const early = await seedTask(store, { agentId: agent.id, nextRunAt: at(100) });
      const tieFirst = await seedTask(store, { agentId: agent.id, nextRunAt: at(200) });
      const tieSecond = await seedTask(store, { agentId: agent.id, nextRunAt: at(200) });
      await seedTask(store, { agentId: agent.id, nextRunAt: at(50), status: 'paused' });
      await seedTask(store, { agentId: agent.id, nextRunAt: at(60), status: 'cancelled' });
      await seedTask(store, { agentId: agent.id, nextRunAt: undefined });
      const future = await seedTask(store, { agentId: agent.id, nextRunAt: at(10_000) });
      expect(await store.tasks.nextDueAt()).toBe(at(100));
      expect((await store.tasks.due(at(99))).map((task) => task.id)).toEqual([]);
      expect((await store.tasks.due(at(200))).map((task) => task.id)).toEqual([early.id, tieFirst.id, tieSecond.id]);
      expect((await store.tasks.due(at(300))).map((task) => task.id)).toEqual([early.id, tieFirst.id, tieSecond.id, late.id]);
      for (const task of [early, tieFirst, tieSecond, late]) await store.tasks.update(task.id, { status: 'completed' });
      expect(await store.tasks.nextDueAt()).toBe(future.nextRunAt);
      await store.tasks.update(future.id, { status: 'paused' });
      expect(await store.tasks.nextDueAt()).toBeUndefined();
    });

    it('lets exactly one of two callers claim a firing, by its due time', async () => {
      const { store } = context();
      const task = await seedTask(store);
      const dueAt = task.nextRunAt ?? 0;
      const next = { nextRunAt: dueAt + 86_400_000, lastRunAt: dueAt };
      const claims = await Promise.all([store.tasks.claimRun(task.id, dueAt, next), store.tasks.claimRun(task.id, dueAt, next)]);
      expect(claims.sort()).toEqual([false, true]);
      expect(await store.tasks.get(task.id)).toMatchObject({ status: 'active', ...next });
      // A stale due time (the run was already claimed) or a task no longer active claims nothing.
      expect(await store.tasks.claimRun(task.id, dueAt, next)).toBe(false);
      expect(await store.tasks.claimRun(task.id, next.nextRunAt, { status: 'completed', nextRunAt: null, lastRunAt: 5 })).toBe(
        true,
      );
      expect(await store.tasks.get(task.id)).toMatchObject({ status: 'completed', lastRunAt: 5 });
      expect((await store.tasks.get(task.id))?.nextRunAt).toBeUndefined();
      expect(await store.tasks.claimRun('ghost', dueAt, next)).toBe(false);
    });

    it('removes a task with its runs, and refuses unknown references', async () => {
      const { store } = context();
      const task = await seedTask(store);
      await store.taskRuns.add({ taskId: task.id, startedAt: startTime, status: 'succeeded' });
      await store.tasks.remove(task.id);
      expect(await store.tasks.get(task.id)).toBeUndefined();
      expect(await store.taskRuns.listForTask(task.id)).toEqual([]);
      await expectNotFound(store.tasks.remove(task.id), 'task', task.id);
      await expectNotFound(seedTask(store, { agentId: 'ghost' }), 'agent', 'ghost');
      await expectNotFound(seedTask(store, { chatId: 'ghost' }), 'chat', 'ghost');
      await expectNotFound(seedTask(store, { sessionId: 'ghost' }), 'session', 'ghost');
    });
  });

  describe('task runs', () => {
    it('records runs and lists them oldest first, keeping the most recent for a limit', async () => {
      const { store } = context();
      const task = await seedTask(store);
      const other = await seedTask(store);
      const first = await store.taskRuns.add({ taskId: task.id, startedAt: 1, endedAt: 2, status: 'succeeded', result: 'sunny' });
      expect(first).toEqual({ id: first.id, taskId: task.id, startedAt: 1, endedAt: 2, status: 'succeeded', result: 'sunny' });
      const second = await store.taskRuns.add({ taskId: task.id, startedAt: 3, status: 'failed', error: 'timeout' });
      expect(second.endedAt).toBeUndefined();
      expect(second.error).toBe('timeout');
      const third = await store.taskRuns.add({ taskId: task.id, startedAt: 5, endedAt: 6, status: 'succeeded' });
      await store.taskRuns.add({ taskId: other.id, startedAt: 4, status: 'succeeded' });
      expect((await store.taskRuns.listForTask(task.id)).map((run) => run.id)).toEqual([first.id, second.id, third.id]);
      expect((await store.taskRuns.listForTask(task.id, { limit: 2 })).map((run) => run.id)).toEqual([second.id, third.id]);
      await expectNotFound(store.taskRuns.add({ taskId: 'ghost', startedAt: 1, status: 'failed' }), 'task', 'ghost');
    });
  });
}
