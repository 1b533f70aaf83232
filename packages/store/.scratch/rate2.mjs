import { createSqliteStore } from '../dist/index.js';
const path = `/tmp/ngbs/rate2-${Date.now()}.db`;
const store = await createSqliteStore({ path });
const agent = await store.agents.create({ folder: 'main', name: 'Main', isMain: true });
const chat = await store.chats.upsert({ channel: 'tg', platformChatId: '1', name: 'c', isGroup: false });
const { session } = await store.sessions.getOrCreate({ agentId: agent.id, chatId: chat.id, threadId: null });
const n = 20000;
const ingest = async (i, prefix) => {
  const c = await store.chats.upsert({ channel: 'tg', platformChatId: '1', name: 'c', isGroup: false });
  const r = await store.messages.insert({ chatId: c.id, platformMessageId: `${prefix}${i}`, senderId: 'u', text: `message number ${i} about things`, mentionsBot: false, timestamp: i, direction: 'inbound' });
  await store.inbox.add({ sessionId: session.id, messageId: r.message.id, kind: 'message' });
};
const t = performance.now();
let next = 0;
await Promise.all(Array.from({ length: 64 }, async () => { while (next < n) await ingest(next++, `c`); }));
console.log(`${Math.round(n / ((performance.now() - t) / 1000))}/s`);
await store.close();
