import { createSqliteStore } from '../dist/index.js';
const store = await createSqliteStore({ path: process.argv[2] ?? ':memory:' });
const agent = await store.agents.create({ folder: 'main', name: 'Main', isMain: true });
const chat = await store.chats.upsert({ channel: 'tg', platformChatId: '1', name: 'c', isGroup: false });
const { session } = await store.sessions.getOrCreate({ agentId: agent.id, chatId: chat.id, threadId: null });
const n = 20000;
let t = performance.now();
for (let i = 0; i < n; i++) await store.chats.upsert({ channel: 'tg', platformChatId: '1', name: 'c', isGroup: false });
console.log('upsert read µs', ((performance.now() - t) * 1000) / n);
t = performance.now();
for (let i = 0; i < n; i++) { const r = await store.messages.insert({ chatId: chat.id, platformMessageId: `p${i}`, senderId: 'u', text: `message number ${i} about things`, mentionsBot: false, timestamp: i, direction: 'inbound' }); await store.inbox.add({ sessionId: session.id, messageId: r.message.id, kind: 'message' }); }
console.log('insert+inbox µs', ((performance.now() - t) * 1000) / n);
await store.close();
