import type { Store } from '@ngb/plugin-sdk';
import { createSqliteStore } from '@ngb/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTranscriptCache } from './transcript-cache';

let store: Store;
let sessionId: string;
beforeEach(async () => {
  store = await createSqliteStore({ path: ':memory:' });
  const agent = await store.agents.create({ folder: 'main', name: 'main', isMain: true });
  const chat = await store.chats.upsert({ channel: 'fake', platformChatId: 'c1', name: 'c1', isGroup: false });
  sessionId = (await store.sessions.getOrCreate({ agentId: agent.id, chatId: chat.id, threadId: null })).session.id;
});
afterEach(() => store.close());

const contents = async (cache: ReturnType<typeof createTranscriptCache>) =>
  (await cache.load(store, sessionId)).map((entry) => entry.content);

/** Counts the transcript reads that return every entry of the session. */
function countingFullReads(inner: Store) {
  let fullReads = 0;
  const transcript = {
    ...inner.transcript,
    list: (id: string, options?: { limit?: number; after?: number }) => {
      if (options?.after === undefined) fullReads += 1;
      return inner.transcript.list(id, options);
    },
  };
  return { store: { transcript }, fullReads: () => fullReads };
}

describe('createTranscriptCache', () => {
  it('reads a session whole once, then only what was appended since', async () => {
    const cache = createTranscriptCache();
    const counted = countingFullReads(store);
    await store.transcript.append(sessionId, [{ role: 'user', content: 'one' }]);
    expect((await cache.load(counted.store, sessionId)).map((entry) => entry.content)).toEqual(['one']);
    await store.transcript.append(sessionId, [
      { role: 'assistant', content: 'two' },
      { role: 'user', content: 'three' },
    ]);
    expect((await cache.load(counted.store, sessionId)).map((entry) => entry.content)).toEqual(['one', 'two', 'three']);
    expect((await cache.load(counted.store, sessionId)).map((entry) => entry.content)).toEqual(['one', 'two', 'three']);
    expect(counted.fullReads()).toBe(1);
  });

  it('sees a cleared and rewritten transcript, even when the store gives the old places again', async () => {
    const cache = createTranscriptCache();
    await store.transcript.append(sessionId, [
      { role: 'user', content: 'old one' },
      { role: 'assistant', content: 'old two' },
    ]);
    expect(await contents(cache)).toEqual(['old one', 'old two']);
    // A compaction: cleared, then a summary and as many entries as before (the freed places are reused).
    await store.transcript.clear(sessionId);
    await store.transcript.append(sessionId, [
      { role: 'user', content: 'summary' },
      { role: 'assistant', content: 'new' },
    ]);
    expect(await contents(cache)).toEqual(['summary', 'new']);
    await store.transcript.clear(sessionId);
    expect(await contents(cache)).toEqual([]);
  });

  it('sees older entries archived while the last one stays, and what was appended with them', async () => {
    const cache = createTranscriptCache();
    const stored = await store.transcript.append(sessionId, [
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'two' },
      { role: 'user', content: 'three' },
    ]);
    expect(await contents(cache)).toEqual(['one', 'two', 'three']);
    await store.transcript.archive(sessionId, stored[1]?.seq ?? 0);
    await store.transcript.append(sessionId, [{ role: 'assistant', content: 'four' }]);
    expect(await contents(cache)).toEqual(['three', 'four']);
  });

  it('keeps sessions apart and forgets the least recently used past its size', async () => {
    const cache = createTranscriptCache(1);
    const agent = (await store.agents.list())[0];
    const chat = await store.chats.upsert({ channel: 'fake', platformChatId: 'c2', name: 'c2', isGroup: false });
    const other = (await store.sessions.getOrCreate({ agentId: agent?.id ?? '', chatId: chat.id, threadId: null })).session.id;
    await store.transcript.append(sessionId, [{ role: 'user', content: 'mine' }]);
    await store.transcript.append(other, [{ role: 'user', content: 'theirs' }]);
    expect(await contents(cache)).toEqual(['mine']);
    expect((await cache.load(store, other)).map((entry) => entry.content)).toEqual(['theirs']);
    await store.transcript.append(sessionId, [{ role: 'assistant', content: 'again' }]);
    expect(await contents(cache)).toEqual(['mine', 'again']);
  });
});
