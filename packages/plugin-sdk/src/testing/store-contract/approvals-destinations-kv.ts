import { describe, expect, it } from 'vitest';
import type { ContextAccessor } from './context';
import { expectConfigError, expectNotFound, expectTypeError, seedAgent, seedChat, seedMessage, startTime } from './context';

export function describeApprovalCases(context: ContextAccessor): void {
  describe('approvals', () => {
    it('creates a pending approval findable by its code and by what it is about', async () => {
      const { store } = context();
      const chat = await seedChat(store);
      const user = await store.users.upsert({ channel: 'test', platformUserId: 'stranger' });
      const message = await seedMessage(store, chat.id);
      const approval = await store.approvals.create({
        kind: 'sender',
        chatId: chat.id,
        userId: user.id,
        messageId: message.id,
        code: '482913',
        requestedAt: startTime,
      });
      expect(approval).toEqual({
        id: approval.id,
        kind: 'sender',
        chatId: chat.id,
        userId: user.id,
        messageId: message.id,
        code: '482913',
        status: 'pending',
        requestedAt: startTime,
      });
      expect(await store.approvals.get(approval.id)).toEqual(approval);
      expect(await store.approvals.getByCode('482913')).toEqual(approval);
      expect(await store.approvals.getByCode('000000')).toBeUndefined();
      expect(await store.approvals.findPending({ kind: 'sender', chatId: chat.id, userId: user.id })).toEqual(approval);
      expect(await store.approvals.findPending({ kind: 'sender', chatId: chat.id })).toEqual(approval);
      expect(await store.approvals.findPending({ kind: 'chat', chatId: chat.id })).toBeUndefined();
      const otherUser = await store.users.upsert({ channel: 'test', platformUserId: 'other' });
      expect(await store.approvals.findPending({ kind: 'sender', chatId: chat.id, userId: otherUser.id })).toBeUndefined();
    });

    it('resolves once: a decision is final', async () => {
      const { store } = context();
      const chat = await seedChat(store);
      const approval = await store.approvals.create({ kind: 'chat', chatId: chat.id, code: 'abc', requestedAt: startTime });
      const approved = await store.approvals.resolve(approval.id, 'approved', startTime + 60_000);
      expect(approved).toEqual({ ...approval, status: 'approved', resolvedAt: startTime + 60_000 });
      expect(await store.approvals.findPending({ kind: 'chat', chatId: chat.id })).toBeUndefined();
      expect(await store.approvals.resolve(approval.id, 'denied', startTime + 120_000)).toEqual(approved);
      expect(await store.approvals.get(approval.id)).toEqual(approved);
      await expectNotFound(store.approvals.resolve('ghost', 'approved', 1), 'approval', 'ghost');
    });

    it('lists approvals oldest first, filtered by status', async () => {
      const { store } = context();
      const chat = await seedChat(store);
      const a = await store.approvals.create({ kind: 'chat', chatId: chat.id, code: '1', requestedAt: 1 });
      const b = await store.approvals.create({ kind: 'chat', chatId: chat.id, code: '2', requestedAt: 2 });
      await store.approvals.resolve(a.id, 'denied', 3);
      expect((await store.approvals.list()).map((item) => item.id)).toEqual([a.id, b.id]);
      expect((await store.approvals.list({ status: 'pending' })).map((item) => item.id)).toEqual([b.id]);
      expect((await store.approvals.list({ status: 'denied' })).map((item) => item.id)).toEqual([a.id]);
      expect((await store.approvals.findPending({ kind: 'chat', chatId: chat.id }))?.id).toBe(b.id);
    });

    it('refuses a reused code and unknown references', async () => {
      const { store } = context();
      const chat = await seedChat(store);
      await store.approvals.create({ kind: 'chat', chatId: chat.id, code: 'same', requestedAt: 1 });
      await expectConfigError(store.approvals.create({ kind: 'chat', chatId: chat.id, code: 'same', requestedAt: 2 }));
      await expectNotFound(
        store.approvals.create({ kind: 'chat', chatId: 'ghost', code: 'x1', requestedAt: 1 }),
        'chat',
        'ghost',
      );
      await expectNotFound(
        store.approvals.create({ kind: 'sender', chatId: chat.id, userId: 'ghost', code: 'x2', requestedAt: 1 }),
        'user',
        'ghost',
      );
      expect(await store.approvals.list()).toHaveLength(1);
    });
  });
}

export function describeDestinationCases(context: ContextAccessor): void {
  describe('destinations', () => {
    it('sets, replaces, lists and removes named destinations per agent', async () => {
      const { store, advance, now } = context();
      const agent = await seedAgent(store);
      const helper = await seedAgent(store);
      const family = await seedChat(store);
      const work = await seedChat(store);
      const first = await store.destinations.set({
        agentId: agent.id,
        name: 'family',
        target: { type: 'chat', chatId: family.id },
      });
      expect(first).toEqual({
        id: first.id,
        agentId: agent.id,
        name: 'family',
        target: { type: 'chat', chatId: family.id },
        createdAt: startTime,
        updatedAt: startTime,
      });
      const research = await store.destinations.set({
        agentId: agent.id,
        name: 'research',
        target: { type: 'agent', agentId: helper.id },
      });
      advance(5);
      const replaced = await store.destinations.set({
        agentId: agent.id,
        name: 'family',
        target: { type: 'chat', chatId: work.id },
      });
      expect(replaced).toMatchObject({
        id: first.id,
        target: { type: 'chat', chatId: work.id },
        createdAt: startTime,
        updatedAt: now(),
      });
      expect(await store.destinations.get(agent.id, 'family')).toEqual(replaced);
      expect(await store.destinations.get(agent.id, 'nope')).toBeUndefined();
      expect(await store.destinations.get(helper.id, 'family')).toBeUndefined();
      expect(await store.destinations.list(agent.id)).toEqual([replaced, research]);
      await store.destinations.remove(agent.id, 'family');
      expect(await store.destinations.list(agent.id)).toEqual([research]);
      await expectNotFound(store.destinations.remove(agent.id, 'family'), 'destination', `${agent.id}/family`);
    });

    it('refuses unknown agents and targets', async () => {
      const { store } = context();
      const agent = await seedAgent(store);
      await expectNotFound(
        store.destinations.set({ agentId: 'ghost', name: 'x', target: { type: 'agent', agentId: agent.id } }),
        'agent',
        'ghost',
      );
      await expectNotFound(
        store.destinations.set({ agentId: agent.id, name: 'x', target: { type: 'chat', chatId: 'ghost' } }),
        'chat',
        'ghost',
      );
      await expectNotFound(
        store.destinations.set({ agentId: agent.id, name: 'x', target: { type: 'agent', agentId: 'ghost' } }),
        'agent',
        'ghost',
      );
      expect(await store.destinations.list(agent.id)).toEqual([]);
    });
  });
}

export function describeKvCases(context: ContextAccessor): void {
  describe('kv', () => {
    it.each([
      ['a string', 'hello'],
      ['a number', 3.25],
      ['zero', 0],
      ['false', false],
      ['null', null],
      ['an empty string', ''],
      ['an array', [1, 'two', { three: [3] }]],
      ['an object', { cursor: 'abc', nested: { list: [], flag: true } }],
    ])('stores %s and reads it back', async (_label, value) => {
      const { store } = context();
      await store.kv.set('plugin', 'key', value);
      expect(await store.kv.get('plugin', 'key')).toEqual(value);
    });

    it('replaces values, keeps namespaces apart and deletes', async () => {
      const { store } = context();
      expect(await store.kv.get('a', 'k')).toBeUndefined();
      await store.kv.set('a', 'k', 1);
      await store.kv.set('b', 'k', 2);
      await store.kv.set('a', 'k', { replaced: true });
      expect(await store.kv.get('a', 'k')).toEqual({ replaced: true });
      expect(await store.kv.get('b', 'k')).toBe(2);
      expect(await store.kv.delete('a', 'k')).toBe(true);
      expect(await store.kv.delete('a', 'k')).toBe(false);
      expect(await store.kv.get('a', 'k')).toBeUndefined();
      expect(await store.kv.get('b', 'k')).toBe(2);
    });

    it('refuses values JSON cannot hold and keeps the previous value', async () => {
      const { store } = context();
      await store.kv.set('a', 'k', 'kept');
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      for (const value of [undefined, 1n, cyclic, Symbol('s'), () => 1]) await expectTypeError(store.kv.set('a', 'k', value));
      expect(await store.kv.get('a', 'k')).toBe('kept');
    });
  });
}
