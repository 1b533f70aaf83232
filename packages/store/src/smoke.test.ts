import { expect, it } from 'vitest';
import { createSqliteStore } from './index';

it('smoke', async () => {
  for (const path of [':memory:', `/tmp/ngbs/${Date.now()}.db`]) {
    const store = await createSqliteStore({ path });
    const agent = await store.agents.create({ folder: 'main', name: 'Main', isMain: true });
    const chat = await store.chats.upsert({ channel: 'tg', platformChatId: '1', name: 'c', isGroup: false });
    const { session } = await store.sessions.getOrCreate({ agentId: agent.id, chatId: chat.id, threadId: null });
    const n = 5000;
    const ingest = async (i: number, prefix: string) => {
      const c = await store.chats.upsert({ channel: 'tg', platformChatId: '1', name: 'c', isGroup: false });
      const r = await store.messages.insert({ chatId: c.id, platformMessageId: `${prefix}${i}`, senderId: 'u', text: `message number ${i} about things`, mentionsBot: false, timestamp: i, direction: 'inbound' });
      await store.inbox.add({ sessionId: session.id, messageId: r.message.id, kind: 'message' });
    };
    let t = performance.now();
    for (let i = 0; i < n; i++) await ingest(i, 's');
    console.log(`${path} sequential: ${Math.round(n / ((performance.now() - t) / 1000))}/s`);
    t = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: 32 }, async () => { while (next < n) await ingest(next++, 'c'); }));
    console.log(`${path} 32 concurrent: ${Math.round(n / ((performance.now() - t) / 1000))}/s`);
    expect((await store.inbox.listPending(session.id)).length).toBe(2 * n);
    await store.close();
  }
});
