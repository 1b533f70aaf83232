import { describe, expect, it } from 'vitest';
import type { ContextAccessor } from './context';
import { expectConfigError, expectNotFound, seedAgent, seedChat, startTime } from './context';

export function describeSessionCases(context: ContextAccessor): void {
  describe('sessions', () => {
    it('creates a session once per agent, chat and thread', async () => {
      const { store, generatedIds } = context();
      const agent = await seedAgent(store);
      const chat = await seedChat(store);
      const key = { agentId: agent.id, chatId: chat.id, threadId: null };
      const first = await store.sessions.getOrCreate(key);
      expect(first.created).toBe(true);
      expect(generatedIds).toContain(first.session.id);
      expect(first.session).toEqual({
        id: first.session.id,
        agentId: agent.id,
        chatId: chat.id,
        status: 'active',
        createdAt: startTime,
        updatedAt: startTime,
        lastActivityAt: startTime,
      });
      expect(first.session.threadId).toBeUndefined();
      const again = await store.sessions.getOrCreate(key);
      expect(again).toEqual({ session: first.session, created: false });
    });

    it('keeps threads, chats and agent-shared sessions apart', async () => {
      const { store } = context();
      const agent = await seedAgent(store);
      const chat = await seedChat(store);
      const otherChat = await seedChat(store);
      const ids = new Set<string>();
      for (const key of [
        { chatId: chat.id, threadId: null },
        { chatId: chat.id, threadId: 't1' },
        { chatId: chat.id, threadId: 't2' },
        { chatId: otherChat.id, threadId: 't1' },
        { chatId: null, threadId: null },
      ]) {
        const { session, created } = await store.sessions.getOrCreate({ agentId: agent.id, ...key });
        expect(created).toBe(true);
        expect(session.threadId).toBe(key.threadId ?? undefined);
        ids.add(session.id);
        expect((await store.sessions.getOrCreate({ agentId: agent.id, ...key })).session.id).toBe(session.id);
      }
      expect(ids.size).toBe(5);
      const shared = await store.sessions.getOrCreate({ agentId: agent.id, chatId: null, threadId: null });
      expect(shared.session.chatId).toBeUndefined();
    });

    it('gives concurrent callers the same session', async () => {
      const { store } = context();
      const agent = await seedAgent(store);
      const chat = await seedChat(store);
      const key = { agentId: agent.id, chatId: chat.id, threadId: 'x' };
      const results = await Promise.all(Array.from({ length: 8 }, () => store.sessions.getOrCreate(key)));
      expect(new Set(results.map((result) => result.session.id)).size).toBe(1);
      expect(results.filter((result) => result.created)).toHaveLength(1);
    });

    it('does not reuse a closed session, and refuses to reactivate it while another is active', async () => {
      const { store, advance, now } = context();
      const agent = await seedAgent(store);
      const chat = await seedChat(store);
      const key = { agentId: agent.id, chatId: chat.id, threadId: null };
      const old = (await store.sessions.getOrCreate(key)).session;
      advance(100);
      const closed = await store.sessions.update(old.id, { status: 'closed' });
      expect(closed).toMatchObject({ status: 'closed', updatedAt: now() });
      const fresh = await store.sessions.getOrCreate(key);
      expect(fresh.created).toBe(true);
      expect(fresh.session.id).not.toBe(old.id);
      await expectConfigError(store.sessions.update(old.id, { status: 'active' }));
      expect((await store.sessions.get(old.id))?.status).toBe('closed');
    });

    it('records activity and refuses unknown ids', async () => {
      const { store } = context();
      const agent = await seedAgent(store);
      const { session } = await store.sessions.getOrCreate({ agentId: agent.id, chatId: null, threadId: null });
      const updated = await store.sessions.update(session.id, { lastActivityAt: startTime + 5000 });
      expect(updated.lastActivityAt).toBe(startTime + 5000);
      expect(await store.sessions.get(session.id)).toEqual(updated);
      expect(await store.sessions.get('ghost')).toBeUndefined();
      await expectNotFound(store.sessions.update('ghost', { status: 'closed' }), 'session', 'ghost');
    });

    it('refuses unknown agents and chats', async () => {
      const { store } = context();
      const agent = await seedAgent(store);
      await expectNotFound(store.sessions.getOrCreate({ agentId: 'ghost', chatId: null, threadId: null }), 'agent', 'ghost');
      await expectNotFound(store.sessions.getOrCreate({ agentId: agent.id, chatId: 'ghost', threadId: null }), 'chat', 'ghost');
      expect(await store.sessions.list()).toEqual([]);
    });

    it('lists sessions oldest first with filters', async () => {
      const { store } = context();
      const one = await seedAgent(store);
      const two = await seedAgent(store);
      const chat = await seedChat(store);
      const a = (await store.sessions.getOrCreate({ agentId: one.id, chatId: chat.id, threadId: null })).session;
      const b = (await store.sessions.getOrCreate({ agentId: two.id, chatId: chat.id, threadId: null })).session;
      const c = (await store.sessions.getOrCreate({ agentId: one.id, chatId: null, threadId: null })).session;
      await store.sessions.update(b.id, { status: 'closed' });
      const ids = async (filter?: Parameters<typeof store.sessions.list>[0]) =>
        (await store.sessions.list(filter)).map((session) => session.id);
      expect(await ids()).toEqual([a.id, b.id, c.id]);
      expect(await ids({ agentId: one.id })).toEqual([a.id, c.id]);
      expect(await ids({ chatId: chat.id })).toEqual([a.id, b.id]);
      expect(await ids({ status: 'active' })).toEqual([a.id, c.id]);
      expect(await ids({ agentId: two.id, status: 'active' })).toEqual([]);
    });

    it('finds sessions by id prefix, case-sensitively', async () => {
      const { store } = context();
      const agent = await seedAgent(store);
      const sessions = [];
      for (const threadId of ['a', 'b', 'c']) {
        sessions.push((await store.sessions.getOrCreate({ agentId: agent.id, chatId: null, threadId })).session);
      }
      const [first] = sessions;
      if (first === undefined) throw new Error('no session');
      expect((await store.sessions.findByIdPrefix(first.id)).map((session) => session.id)).toEqual([first.id]);
      const common = commonPrefix(sessions.map((session) => session.id));
      if (common !== '') {
        expect((await store.sessions.findByIdPrefix(common)).map((session) => session.id)).toEqual(sessions.map((s) => s.id));
      }
      expect(await store.sessions.findByIdPrefix(`${first.id}-no-such-suffix`)).toEqual([]);
      expect(await store.sessions.findByIdPrefix('')).toEqual([]);
      expect(await store.sessions.findByIdPrefix('%')).toEqual([]);
      expect(await store.sessions.findByIdPrefix('_')).toEqual([]);
      if (first.id.toUpperCase() !== first.id) expect(await store.sessions.findByIdPrefix(first.id.toUpperCase())).toEqual([]);
    });
  });
}

function commonPrefix(values: readonly string[]): string {
  const [first = '', ...rest] = values;
  let length = first.length;
  for (const value of rest) {
    while (length > 0 && value.slice(0, length) !== first.slice(0, length)) length -= 1;
  }
  return first.slice(0, length);
}
