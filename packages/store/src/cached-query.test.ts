import { SqliteQueryCompiler } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSqliteStore } from './index';

afterEach(() => vi.restoreAllMocks());

// Building and compiling a query with kysely costs more than SQLite's own work for these statements,
// so the reads and writes of every inbound message and every turn start are compiled once per store.
describe('hot-path queries', () => {
  it('are compiled once per store, then only bound, inside and outside transactions', async () => {
    const store = await createSqliteStore({ path: ':memory:' });
    const agent = await store.agents.create({ folder: 'main', name: 'Main', isMain: true });
    const chat = await store.chats.upsert({ channel: 'c', platformChatId: '1', name: 'n', isGroup: true, status: 'active' });
    await store.wirings.add({ chatId: chat.id, agentId: agent.id, engage: 'always', sessionMode: 'shared' });
    let index = 0;
    const ingestAndStartTurn = async () => {
      index += 1;
      const sessionId = await store.transaction(async (tx) => {
        const found = await tx.chats.getByPlatformId('c', '1');
        const { message } = await tx.messages.insert({
          chatId: found?.id ?? '',
          platformMessageId: `m${index}`,
          senderId: 'u',
          text: 'hello',
          mentionsBot: false,
          timestamp: index,
          direction: 'inbound',
        });
        const [wiring] = await tx.wirings.listForChat(chat.id);
        await tx.questions.listPending(chat.id);
        await tx.agents.get(wiring?.agentId ?? '');
        const { session } = await tx.sessions.getOrCreate({ agentId: agent.id, chatId: chat.id, threadId: null });
        await tx.inbox.add({ sessionId: session.id, messageId: message.id, kind: 'message' });
        return session.id;
      });
      expect(await store.leases.acquire(sessionId, 'me', { now: index, expiresAt: index + 1000 })).toBe(true);
      const session = await store.sessions.get(sessionId);
      await store.agents.get(session?.agentId ?? '');
      const [pending] = await store.inbox.listPending(sessionId);
      await store.turns.listForSession(sessionId, { limit: 5 });
      await store.messages.get(pending?.messageId ?? '');
      await store.chats.get(chat.id);
    };
    await ingestAndStartTurn();
    const compile = vi.spyOn(SqliteQueryCompiler.prototype, 'compileQuery');
    await ingestAndStartTurn();
    await ingestAndStartTurn();
    expect(compile).not.toHaveBeenCalled();
    expect(await store.inbox.listPending((await store.sessions.list())[0]?.id ?? '')).toHaveLength(3);
    await store.close();
  });
});
