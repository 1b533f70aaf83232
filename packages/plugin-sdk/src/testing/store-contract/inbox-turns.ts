import { describe, expect, it } from 'vitest';
import type { ContextAccessor } from './context';
import { expectNotFound, seedMessage, seedSession, startTime } from './context';

export function describeInboxCases(context: ContextAccessor): void {
  describe('session inbox', () => {
    it('adds rows and lists the pending ones in arrival order', async () => {
      const { store } = context();
      const { chat, session } = await seedSession(store);
      const first = await seedMessage(store, chat.id, { timestamp: 50 });
      const second = await seedMessage(store, chat.id, { timestamp: 10 });
      const a = await store.inbox.add({ sessionId: session.id, messageId: first.id, kind: 'message' });
      const b = await store.inbox.add({ sessionId: session.id, messageId: second.id, kind: 'context' });
      expect(a).toEqual({ id: a.id, sessionId: session.id, messageId: first.id, kind: 'message', createdAt: startTime });
      expect(a.processedAt).toBeUndefined();
      expect(await store.inbox.listPending(session.id)).toEqual([a, b]);
    });

    it('returns the existing row when the same message is added to the same session again', async () => {
      const { store } = context();
      const { chat, session } = await seedSession(store);
      const message = await seedMessage(store, chat.id);
      const first = await store.inbox.add({ sessionId: session.id, messageId: message.id, kind: 'message' });
      const again = await store.inbox.add({ sessionId: session.id, messageId: message.id, kind: 'message' });
      expect(again).toEqual(first);
      expect(await store.inbox.listPending(session.id)).toHaveLength(1);
    });

    it('marks rows processed by a turn, keeping the first turn for rows already processed', async () => {
      const { store, advance, now } = context();
      const { chat, session } = await seedSession(store);
      const rows = [];
      for (let index = 0; index < 3; index += 1) {
        const message = await seedMessage(store, chat.id);
        rows.push(await store.inbox.add({ sessionId: session.id, messageId: message.id, kind: 'message' }));
      }
      const [a, b, c] = rows;
      if (a === undefined || b === undefined || c === undefined) throw new Error('rows missing');
      const turn = await store.turns.create({ sessionId: session.id, trigger: 'message' });
      const later = await store.turns.create({ sessionId: session.id, trigger: 'message' });
      advance(7);
      await store.inbox.markProcessed([a.id, b.id], turn.id);
      expect((await store.inbox.listPending(session.id)).map((row) => row.id)).toEqual([c.id]);
      advance(3);
      await store.inbox.markProcessed([b.id, c.id], later.id);
      expect(await store.inbox.listPending(session.id)).toEqual([]);
      await store.inbox.markProcessed([], later.id);
      expect(await store.inbox.get(a.id)).toEqual({ ...a, processedAt: now() - 3, turnId: turn.id });
      expect(await store.inbox.get(b.id)).toEqual({ ...b, processedAt: now() - 3, turnId: turn.id });
      expect(await store.inbox.get(c.id)).toEqual({ ...c, processedAt: now(), turnId: later.id });
      expect(await store.inbox.get('ghost')).toBeUndefined();
    });

    it('holds task rows without a message', async () => {
      const { store } = context();
      const { session } = await seedSession(store);
      const task = await store.tasks.create({
        agentId: session.agentId,
        prompt: 'p',
        scheduleType: 'once',
        scheduleValue: '0',
        timezone: 'UTC',
        contextMode: 'group',
      });
      const first = await store.inbox.add({ sessionId: session.id, kind: 'task', taskId: task.id });
      const second = await store.inbox.add({ sessionId: session.id, kind: 'task', taskId: task.id });
      expect(first).toMatchObject({ kind: 'task', taskId: task.id });
      expect(first.messageId).toBeUndefined();
      expect(second.id).not.toBe(first.id);
      expect(await store.inbox.listPending(session.id)).toEqual([first, second]);
      expect(await store.inbox.sessionsWithPending()).toEqual([session.id]);
      await expectNotFound(store.inbox.add({ sessionId: session.id, kind: 'task', taskId: 'ghost' }), 'task', 'ghost');
    });

    it('holds admin command rows in order with messages, as pending work, consumed by a command turn', async () => {
      const { store } = context();
      const { chat, session } = await seedSession(store);
      const question = await seedMessage(store, chat.id);
      const clear = await seedMessage(store, chat.id);
      const first = await store.inbox.add({ sessionId: session.id, messageId: question.id, kind: 'message' });
      const command = await store.inbox.add({ sessionId: session.id, messageId: clear.id, kind: 'command' });
      expect(command).toMatchObject({ kind: 'command', messageId: clear.id });
      expect(await store.inbox.listPending(session.id)).toEqual([first, command]);
      const turn = await store.turns.create({ sessionId: session.id, trigger: 'message' });
      await store.inbox.markProcessed([first.id], turn.id);
      // Only a command is left: still work for the session (its lease is kept, it is resumed).
      expect(await store.inbox.sessionsWithPending()).toEqual([session.id]);
      expect(await store.leases.hasPendingWork(session.id)).toBe(true);
      const commandTurn = await store.turns.create({ sessionId: session.id, trigger: 'command' });
      expect(commandTurn.trigger).toBe('command');
      await store.inbox.markProcessed([command.id], commandTurn.id);
      expect(await store.inbox.sessionsWithPending()).toEqual([]);
      expect(await store.leases.hasPendingWork(session.id)).toBe(false);
    });

    it('changes nothing when an id is unknown', async () => {
      const { store } = context();
      const { chat, session } = await seedSession(store);
      const message = await seedMessage(store, chat.id);
      const row = await store.inbox.add({ sessionId: session.id, messageId: message.id, kind: 'message' });
      const turn = await store.turns.create({ sessionId: session.id, trigger: 'message' });
      await expectNotFound(store.inbox.markProcessed([row.id, 'ghost'], turn.id), 'inbox entry', 'ghost');
      expect(await store.inbox.listPending(session.id)).toEqual([row]);
    });

    it('lists sessions with pending messages or tasks, the one waiting longest first', async () => {
      const { store } = context();
      const one = await seedSession(store);
      const two = await seedSession(store);
      const three = await seedSession(store);
      const add = async (target: typeof one, kind: 'message' | 'context') => {
        const message = await seedMessage(store, target.chat.id);
        return store.inbox.add({ sessionId: target.session.id, messageId: message.id, kind });
      };
      const contextOnly = await add(three, 'context');
      const twoFirst = await add(two, 'message');
      await add(one, 'message');
      await add(two, 'message');
      expect(contextOnly.kind).toBe('context');
      expect(await store.inbox.sessionsWithPending()).toEqual([two.session.id, one.session.id]);
      const turn = await store.turns.create({ sessionId: two.session.id, trigger: 'message' });
      await store.inbox.markProcessed([twoFirst.id], turn.id);
      expect(await store.inbox.sessionsWithPending()).toEqual([one.session.id, two.session.id]);
    });

    it('refuses unknown sessions and messages', async () => {
      const { store } = context();
      const { chat, session } = await seedSession(store);
      const message = await seedMessage(store, chat.id);
      await expectNotFound(store.inbox.add({ sessionId: 'ghost', messageId: message.id, kind: 'message' }), 'session', 'ghost');
      await expectNotFound(store.inbox.add({ sessionId: session.id, messageId: 'ghost', kind: 'message' }), 'message', 'ghost');
      expect(await store.inbox.listPending(session.id)).toEqual([]);
    });
  });
}

export function describeTurnCases(context: ContextAccessor): void {
  describe('turns', () => {
    it('creates a queued turn with no attempts and zero usage', async () => {
      const { store, generatedIds } = context();
      const { session } = await seedSession(store);
      const turn = await store.turns.create({ sessionId: session.id, trigger: 'manual' });
      expect(generatedIds).toContain(turn.id);
      expect(turn).toEqual({
        id: turn.id,
        sessionId: session.id,
        trigger: 'manual',
        status: 'queued',
        attempts: 0,
        inputTokens: 0,
        outputTokens: 0,
        cacheTokens: 0,
        costUsd: 0,
        sentMessage: false,
        createdAt: startTime,
        updatedAt: startTime,
      });
      expect(await store.turns.get(turn.id)).toEqual(turn);
      expect(await store.turns.get('ghost')).toBeUndefined();
    });

    it('records that a turn sent a message, and keeps it through other changes', async () => {
      const { store } = context();
      const { session } = await seedSession(store);
      const turn = await store.turns.create({ sessionId: session.id, trigger: 'message' });
      expect((await store.turns.update(turn.id, { sentMessage: true })).sentMessage).toBe(true);
      expect((await store.turns.update(turn.id, { status: 'running' })).sentMessage).toBe(true);
      expect((await store.turns.get(turn.id))?.sentMessage).toBe(true);
    });

    it('updates with a patch and clears fields with null', async () => {
      const { store, advance, now } = context();
      const { session } = await seedSession(store);
      const turn = await store.turns.create({ sessionId: session.id, trigger: 'message' });
      advance(10);
      const failed = await store.turns.update(turn.id, {
        status: 'failed',
        attempts: 1,
        error: 'model overloaded',
        nextAttemptAt: now() + 5000,
        startedAt: now() - 5,
        endedAt: now(),
      });
      expect(failed).toMatchObject({
        status: 'failed',
        attempts: 1,
        error: 'model overloaded',
        nextAttemptAt: now() + 5000,
        updatedAt: now(),
      });
      const done = await store.turns.update(turn.id, {
        status: 'succeeded',
        attempts: 2,
        error: null,
        nextAttemptAt: null,
        inputTokens: 1200,
        outputTokens: 300,
        cacheTokens: 800,
        costUsd: 0.0123,
      });
      expect(done).toMatchObject({
        status: 'succeeded',
        attempts: 2,
        inputTokens: 1200,
        outputTokens: 300,
        cacheTokens: 800,
        costUsd: 0.0123,
      });
      expect(done.error).toBeUndefined();
      expect(done.nextAttemptAt).toBeUndefined();
      expect(done.startedAt).toBe(failed.startedAt);
      expect(await store.turns.get(turn.id)).toEqual(done);
      await expectNotFound(store.turns.update('ghost', { status: 'running' }), 'turn', 'ghost');
    });

    it('keeps the model that answered, and an unknown cost as null (not 0)', async () => {
      const { store } = context();
      const { session } = await seedSession(store);
      const turn = await store.turns.create({ sessionId: session.id, trigger: 'message' });
      const unknown = await store.turns.update(turn.id, {
        inputTokens: 50,
        outputTokens: 5,
        costUsd: null,
        model: 'local-model',
      });
      expect(unknown).toMatchObject({ costUsd: null, model: 'local-model' });
      expect(await store.turns.get(turn.id)).toEqual(unknown);
      const priced = await store.turns.update(turn.id, { costUsd: 0.5, model: 'claude-haiku-4-5-20251001' });
      expect(priced).toMatchObject({ costUsd: 0.5, model: 'claude-haiku-4-5-20251001', inputTokens: 50 });
      const cleared = await store.turns.update(turn.id, { model: null });
      expect(cleared.model).toBeUndefined();
      expect(cleared.costUsd).toBe(0.5);
    });

    it("lists a session's turns oldest first, keeping the most recent for a limit", async () => {
      const { store } = context();
      const { session } = await seedSession(store);
      const other = await seedSession(store);
      const ids = [];
      for (let index = 0; index < 4; index += 1)
        ids.push((await store.turns.create({ sessionId: session.id, trigger: 'message' })).id);
      await store.turns.create({ sessionId: other.session.id, trigger: 'task' });
      expect((await store.turns.listForSession(session.id)).map((turn) => turn.id)).toEqual(ids);
      expect((await store.turns.listForSession(session.id, { limit: 2 })).map((turn) => turn.id)).toEqual(ids.slice(2));
    });

    it('lists unfinished turns of all sessions oldest first', async () => {
      const { store } = context();
      const one = await seedSession(store);
      const two = await seedSession(store);
      const a = await store.turns.create({ sessionId: one.session.id, trigger: 'message' });
      const b = await store.turns.create({ sessionId: two.session.id, trigger: 'task' });
      const c = await store.turns.create({ sessionId: one.session.id, trigger: 'message' });
      const d = await store.turns.create({ sessionId: two.session.id, trigger: 'message' });
      await store.turns.update(a.id, { status: 'running' });
      await store.turns.update(b.id, { status: 'succeeded' });
      await store.turns.update(d.id, { status: 'failed' });
      expect((await store.turns.listUnfinished()).map((turn) => turn.id)).toEqual([a.id, c.id]);
    });

    it('refuses an unknown session', async () => {
      const { store } = context();
      await expectNotFound(store.turns.create({ sessionId: 'ghost', trigger: 'message' }), 'session', 'ghost');
    });
  });
}
