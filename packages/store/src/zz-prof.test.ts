import { it } from 'vitest';
import { createSqliteStore } from './index';

it('prof', async () => {
  const store = await createSqliteStore({ path: ':memory:' });
  const agent = await store.agents.create({ folder: 'main', name: 'Main', isMain: true });
  const chat = await store.chats.upsert({ channel: 'tg', platformChatId: '1', name: 'c', isGroup: false });
  const { session } = await store.sessions.getOrCreate({ agentId: agent.id, chatId: chat.id, threadId: null });
  const n = 5000;
  let t = performance.now();
  for (let i = 0; i < n; i++) await store.chats.upsert({ channel: 'tg', platformChatId: '1', name: 'c', isGroup: false });
  console.log('upsert read µs', ((performance.now() - t) * 1000) / n);
  const ids: string[] = [];
  t = performance.now();
  for (let i = 0; i < n; i++) ids.push((await store.messages.insert({ chatId: chat.id, platformMessageId: `p${i}`, senderId: 'u', text: `message number ${i} about things`, mentionsBot: false, timestamp: i, direction: 'inbound' })).message.id);
  console.log('insert µs', ((performance.now() - t) * 1000) / n);
  t = performance.now();
  for (let i = 0; i < n; i++) await store.inbox.add({ sessionId: session.id, messageId: ids[i], kind: 'message' });
  console.log('inbox µs', ((performance.now() - t) * 1000) / n);
  t = performance.now();
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
  console.log('setImmediate µs', ((performance.now() - t) * 1000) / n);
  await store.close();
});
