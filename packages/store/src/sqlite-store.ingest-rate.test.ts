import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from './index';

const directory = mkdtempSync(join(tmpdir(), 'ngb-store-rate-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const messageCount = 5000;

// Not a benchmark (that is bench/): a guard that the ingest path stays far from pathological, with the
// measured rate attached to the test report. The floor is low because CI machines are shared.
describe.each([
  ['file', () => join(directory, `rate-${Date.now()}.db`)],
  ['memory', () => ':memory:'],
])('ingest on %s', (_label, makePath) => {
  it.for([1, 32])(
    `stores and queues ${messageCount} inbound messages with %i concurrent senders`,
    async (concurrency, { annotate }) => {
      const store = await createSqliteStore({ path: makePath() });
      const agent = await store.agents.create({ folder: 'main', name: 'Main', isMain: true });
      const { id: chatId } = await store.chats.upsert({
        channel: 'c',
        platformChatId: '1',
        name: 'n',
        isGroup: true,
        status: 'active',
      });
      const { session } = await store.sessions.getOrCreate({ agentId: agent.id, chatId, threadId: null });
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < messageCount) {
            const index = next++;
            const { message } = await store.messages.insert({
              chatId,
              platformMessageId: `m${index}`,
              senderId: 'u',
              text: `message number ${index} with a few words to index`,
              mentionsBot: false,
              timestamp: index,
              direction: 'inbound',
            });
            await store.inbox.add({ sessionId: session.id, messageId: message.id, kind: 'message' });
          }
        }),
      );
      const perSecond = Math.round(messageCount / ((performance.now() - started) / 1000));
      await annotate(`${perSecond} messages/s (insert + inbox add)`);
      expect((await store.inbox.listPending(session.id)).length).toBe(messageCount);
      expect(perSecond).toBeGreaterThan(300);
      await store.close();
    },
  );
});
