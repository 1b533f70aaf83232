import { describe, expect, it } from 'vitest';
import type { ContextAccessor } from './context';
import { seedChat, seedMessage, startTime } from './context';

export function describeMessageEditCases(context: ContextAccessor): void {
  describe('message edits and deletions', () => {
    it('applies an edit, keeping the first text, and searches the new text', async () => {
      const { store } = context();
      const chat = await seedChat(store);
      const message = await seedMessage(store, chat.id, { text: 'meet at noon' });
      const edited = await store.messages.edit(chat.id, message.platformMessageId, {
        text: 'meet at dusk',
        editedAt: startTime + 10,
      });
      expect(edited).toEqual({ ...message, text: 'meet at dusk', originalText: 'meet at noon', editedAt: startTime + 10 });
      const again = await store.messages.edit(chat.id, message.platformMessageId, {
        text: 'meet at dawn',
        editedAt: startTime + 20,
      });
      expect(again).toMatchObject({ text: 'meet at dawn', originalText: 'meet at noon', editedAt: startTime + 20 });
      expect(await store.messages.get(message.id)).toEqual(again);
      expect((await store.messages.search('dawn')).map((found) => found.id)).toEqual([message.id]);
      expect(await store.messages.search('noon')).toEqual([]);
      expect(await store.messages.search('dusk')).toEqual([]);
    });

    it('ignores an edit older than the one applied (a retried or reordered delivery)', async () => {
      const { store } = context();
      const chat = await seedChat(store);
      const message = await seedMessage(store, chat.id, { text: 'v1' });
      await store.messages.edit(chat.id, message.platformMessageId, { text: 'v3', editedAt: startTime + 30 });
      const late = await store.messages.edit(chat.id, message.platformMessageId, { text: 'v2', editedAt: startTime + 20 });
      expect(late).toMatchObject({ text: 'v3', originalText: 'v1', editedAt: startTime + 30 });
    });

    it('marks a message deleted once, keeps its text, and leaves it out of search', async () => {
      const { store } = context();
      const chat = await seedChat(store);
      const message = await seedMessage(store, chat.id, { text: 'regrettable words' });
      const deleted = await store.messages.markDeleted(chat.id, message.platformMessageId, startTime + 5);
      expect(deleted).toEqual({ ...message, deletedAt: startTime + 5 });
      expect(await store.messages.markDeleted(chat.id, message.platformMessageId, startTime + 9)).toEqual(deleted);
      expect(await store.messages.listForChat(chat.id)).toEqual([deleted]);
      expect(await store.messages.search('regrettable')).toEqual([]);
    });

    it('changes nothing for a message it does not have', async () => {
      const { store } = context();
      const chat = await seedChat(store);
      const other = await seedChat(store, { platformChatId: 'other' });
      const message = await seedMessage(store, chat.id);
      expect(await store.messages.edit(other.id, message.platformMessageId, { text: 'x', editedAt: startTime })).toBeUndefined();
      expect(await store.messages.edit(chat.id, 'ghost', { text: 'x', editedAt: startTime })).toBeUndefined();
      expect(await store.messages.markDeleted(chat.id, 'ghost', startTime)).toBeUndefined();
      expect(await store.messages.listForChat(chat.id)).toEqual([message]);
      expect(await store.messages.listForChat(other.id)).toEqual([]);
    });
  });
}
