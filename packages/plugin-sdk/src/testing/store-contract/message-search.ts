import { describe, expect, it } from 'vitest';
import type { ContextAccessor } from './context';
import { expectNotFound, seedChat, seedMessage } from './context';

/** Query texts that would be syntax (or errors) if they reached an FTS MATCH expression raw. */
export const hostileSearchTexts = [
  '"',
  '""',
  '"unbalanced',
  "'",
  '*',
  'rock*',
  '*rock',
  'NEAR',
  'NEAR(rock roll)',
  'NEAR(rock roll, 2)',
  'rock NEAR/3 roll',
  'AND',
  'OR',
  'NOT',
  'rock AND',
  'AND rock',
  'rock OR',
  'NOT rock',
  '(',
  ')',
  '(rock',
  'rock)',
  '((rock) OR (roll))',
  'text:rock',
  'text : rock',
  '{text}: rock',
  'nosuchcolumn:rock',
  '-rock',
  '+rock',
  '^rock',
  'rock^',
  'rock + roll',
  ':',
  '::::',
  '\\',
  '%',
  '_',
  "'; DROP TABLE messages; --",
  'rock\0roll',
  '\u{1F3B8} rock',
  'rock '.repeat(500),
];

export function describeMessageSearchCases(context: ContextAccessor): void {
  describe('message search', () => {
    it('finds messages containing every word, case- and accent-insensitively', async () => {
      const { store } = context();
      const chat = await seedChat(store);
      const rock = await seedMessage(store, chat.id, { text: 'We play Rock and Roll tonight' });
      const cafe = await seedMessage(store, chat.id, { text: 'Meet at the café' });
      await seedMessage(store, chat.id, { text: 'Nothing to see' });
      const ids = async (text: string) => (await store.messages.search(text)).map((message) => message.id);
      expect(await ids('rock')).toEqual([rock.id]);
      expect(await ids('ROLL rock')).toEqual([rock.id]);
      expect(await ids('rock jazz')).toEqual([]);
      expect(await ids('cafe')).toEqual([cafe.id]);
      expect(await ids('CAFÉ')).toEqual([cafe.id]);
    });

    it('narrows to one chat and honours the limit', async () => {
      const { store } = context();
      const one = await seedChat(store);
      const two = await seedChat(store);
      for (let index = 0; index < 5; index += 1)
        await seedMessage(store, one.id, { text: `deploy number ${index}`, timestamp: index });
      const elsewhere = await seedMessage(store, two.id, { text: 'deploy elsewhere' });
      expect(await store.messages.search('deploy')).toHaveLength(6);
      expect((await store.messages.search('deploy', { chatId: two.id })).map((message) => message.id)).toEqual([elsewhere.id]);
      expect(await store.messages.search('deploy', { limit: 2 })).toHaveLength(2);
      expect(await store.messages.search('deploy', { limit: 0 })).toEqual([]);
    });

    it('ranks better matches first', async () => {
      const { store } = context();
      const chat = await seedChat(store);
      const weak = await seedMessage(store, chat.id, { text: `release ${'filler '.repeat(40)}` });
      const strong = await seedMessage(store, chat.id, { text: 'release release release' });
      expect((await store.messages.search('release')).map((message) => message.id)).toEqual([strong.id, weak.id]);
    });

    it.each(['', '   ', '!!!', '()', '"', '*', ':', '-- ;', '\t\n'])('returns [] for text without words: %j', async (text) => {
      const { store } = context();
      const chat = await seedChat(store);
      await seedMessage(store, chat.id, { text: 'anything at all' });
      expect(await store.messages.search(text)).toEqual([]);
    });

    it.each(hostileSearchTexts)('treats %j as plain words, never as query syntax', async (text) => {
      const { store } = context();
      const chat = await seedChat(store);
      await seedMessage(store, chat.id, { text: 'rock and roll text near the end or not' });
      const results = await store.messages.search(text);
      expect(Array.isArray(results)).toBe(true);
      for (const message of results) expect(message.chatId).toBe(chat.id);
      expect(await store.messages.search('rock')).toHaveLength(1);
    });

    it('matches operator words and column names literally', async () => {
      const { store } = context();
      const chat = await seedChat(store);
      const literal = await seedMessage(store, chat.id, { text: 'rock and roll near the text' });
      const plain = await seedMessage(store, chat.id, { text: 'rock music' });
      const ids = async (text: string) => (await store.messages.search(text)).map((message) => message.id).sort();
      expect(await ids('rock AND roll')).toEqual([literal.id]);
      expect(await ids('NEAR(rock roll)')).toEqual([literal.id]);
      expect(await ids('text:rock')).toEqual([literal.id]);
      expect(await ids('rock OR jazz')).toEqual([]);
      expect(await ids('NOT rock')).toEqual([]);
      expect(await ids('rock*')).toEqual([literal.id, plain.id].sort());
      expect(await ids('"rock music"')).toEqual([plain.id]);
      expect(await ids('roc*')).toEqual([]);
    });

    it('finds messages newest first, filtered by words, chat, sender and time, in pages', async () => {
      const { store } = context();
      const one = await seedChat(store);
      const two = await seedChat(store);
      const early = await seedMessage(store, one.id, { text: 'deploy the site', timestamp: 100, senderId: 'ann' });
      const sameTimeA = await seedMessage(store, one.id, { text: 'deploy again', timestamp: 200, senderId: 'bob' });
      const sameTimeB = await seedMessage(store, two.id, { text: 'lunch?', timestamp: 200, senderId: 'ann' });
      const late = await seedMessage(store, two.id, { text: 'deploy done', timestamp: 300, senderId: 'ann' });
      const ids = async (query: Parameters<typeof store.messages.find>[0]) =>
        (await store.messages.find(query)).map((message) => message.id);
      expect(await ids({})).toEqual([late.id, sameTimeB.id, sameTimeA.id, early.id]);
      expect(await ids({ text: 'DEPLOY' })).toEqual([late.id, sameTimeA.id, early.id]);
      expect(await ids({ text: 'deploy', chatId: one.id })).toEqual([sameTimeA.id, early.id]);
      expect(await ids({ senderId: 'ann' })).toEqual([late.id, sameTimeB.id, early.id]);
      expect(await ids({ fromTimestamp: 200, toTimestamp: 200 })).toEqual([sameTimeB.id, sameTimeA.id]);
      expect(await ids({ text: '!!!' })).toEqual([]);
      expect(await ids({ text: 'NEAR(deploy' })).toEqual([]);
      const first = await ids({ limit: 2 });
      expect(first).toEqual([late.id, sameTimeB.id]);
      expect(await ids({ limit: 2, afterId: sameTimeB.id })).toEqual([sameTimeA.id, early.id]);
      expect(await ids({ limit: 2, afterId: early.id })).toEqual([]);
      expect(await ids({ limit: 0 })).toEqual([]);
      await store.messages.markDeleted(two.id, late.platformMessageId, 400);
      expect(await ids({ text: 'deploy' })).toEqual([sameTimeA.id, early.id]);
      await expectNotFound(store.messages.find({ afterId: 'ghost' }), 'message', 'ghost');
    });

    it('keeps the index in sync with inserts only (duplicates add nothing)', async () => {
      const { store } = context();
      const chat = await seedChat(store);
      await seedMessage(store, chat.id, { platformMessageId: 'p', text: 'alpha' });
      await store.messages.insert({
        chatId: chat.id,
        platformMessageId: 'p',
        senderId: 'u',
        text: 'beta',
        mentionsBot: false,
        timestamp: 1,
        direction: 'inbound',
      });
      expect(await store.messages.search('alpha')).toHaveLength(1);
      expect(await store.messages.search('beta')).toEqual([]);
    });
  });
}
