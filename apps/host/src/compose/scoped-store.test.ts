import type { Store } from '@ngb/plugin-sdk';
import { createSqliteStore } from '@ngb/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationScope, scopeStore, serveScope } from './scoped-store';

let store: Store;
let cliSession: string;
let telegramSession: string;

async function pendingSession(channel: string, platformChatId: string): Promise<string> {
  const agent =
    (await store.agents.getByFolder('main')) ?? (await store.agents.create({ folder: 'main', name: 'main', isMain: true }));
  const chat = await store.chats.upsert({ channel, platformChatId, name: platformChatId, isGroup: false, status: 'active' });
  const { session } = await store.sessions.getOrCreate({ agentId: agent.id, chatId: chat.id, threadId: null });
  const { message } = await store.messages.insert({
    chatId: chat.id,
    platformMessageId: `${platformChatId}-1`,
    senderId: 'someone',
    text: 'hi',
    mentionsBot: false,
    timestamp: 1,
    direction: 'inbound',
  });
  await store.inbox.add({ sessionId: session.id, messageId: message.id, kind: 'message' });
  await store.turns.create({ sessionId: session.id, trigger: 'message' });
  await store.outbox.enqueue({
    key: `${platformChatId}:reply`,
    sessionId: session.id,
    channel,
    chatId: platformChatId,
    text: 'answer',
  });
  return session.id;
}

beforeAll(async () => {
  store = await createSqliteStore({ path: ':memory:' });
  cliSession = await pendingSession('cli', 'run-1');
  telegramSession = await pendingSession('telegram', '42');
  const agent = await store.agents.getByFolder('main');
  await store.tasks.create({
    agentId: agent?.id ?? '',
    prompt: 'weather',
    scheduleType: 'once',
    scheduleValue: '1',
    timezone: 'UTC',
    contextMode: 'isolated',
    nextRunAt: 1,
  });
});
afterAll(() => store.close());

describe('scopeStore', () => {
  it('leaves the whole store visible when nothing filters', async () => {
    expect(await store.inbox.sessionsWithPending()).toHaveLength(2);
    expect(await store.outbox.pendingChats()).toHaveLength(2);
  });

  it('shows serve everything but the terminal conversations', async () => {
    const scoped = scopeStore(store, serveScope(store));
    expect(await scoped.inbox.sessionsWithPending()).toEqual([telegramSession]);
    expect((await scoped.turns.listUnfinished()).map((turn) => turn.sessionId)).toEqual([telegramSession]);
    expect(await scoped.outbox.pendingChats()).toEqual([{ channel: 'telegram', chatId: '42' }]);
    expect(await scoped.tasks.due(10)).toHaveLength(1);
  });

  it('shows a terminal conversation only its own work, and no scheduled task', async () => {
    const scoped = scopeStore(store, conversationScope(new Set([cliSession]), new Set(['run-1'])));
    expect(await scoped.inbox.sessionsWithPending()).toEqual([cliSession]);
    expect((await scoped.turns.listUnfinished()).map((turn) => turn.sessionId)).toEqual([cliSession]);
    expect(await scoped.outbox.pendingChats()).toEqual([{ channel: 'cli', chatId: 'run-1' }]);
    expect(await scoped.tasks.due(10)).toEqual([]);
    expect(await scoped.tasks.nextDueAt()).toBeUndefined();
  });

  it('passes everything else through to the store, transactions included', async () => {
    const scoped = scopeStore(store, conversationScope(new Set(), new Set()));
    expect((await scoped.sessions.get(cliSession))?.id).toBe(cliSession);
    const count = await scoped.transaction(async (tx) => (await tx.chats.list()).length);
    expect(count).toBe(2);
  });
});
