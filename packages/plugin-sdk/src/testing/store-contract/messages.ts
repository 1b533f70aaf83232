import { describe, expect, it } from 'vitest';
import type { NewStoredMessage } from '../../contracts/store';
import type { ContextAccessor } from './context';
import { expectNotFound, seedChat, seedMessage, startTime } from './context';

export function describeMessageCases(context: ContextAccessor): void {
  describe('messages', () => {
    it('stores every field and reads it back', async () => {
      const { store, generatedIds } = context();
      const chat = await seedChat(store);
      const input: NewStoredMessage = {
        chatId: chat.id,
        platformMessageId: '1001',
        threadId: 'thread-9',
        senderId: 'u-1',
        senderName: 'Ann',
        text: 'Hello <b>there</b> "quoted" \u{1F600}',
        mentionsBot: true,
        replyToPlatformId: '1000',
        replyToAuthorId: 'u-2',
        replyToAuthorName: 'Bo',
        replyToText: 'the question, <quoted>',
        attachments: [{ kind: 'image', name: 'cat.png', mimeType: 'image/png', size: 1234, reference: 'file-1' }],
        timestamp: startTime - 500,
        direction: 'inbound',
        hop: 2,
      };
      const { message, inserted } = await store.messages.insert(input);
      expect(inserted).toBe(true);
      expect(generatedIds).toContain(message.id);
      expect(message).toEqual({ ...input, id: message.id, createdAt: startTime });
      expect(await store.messages.get(message.id)).toEqual(message);
      expect(await store.messages.getByPlatformId(chat.id, '1001')).toEqual(message);
    });

    it('stores hop 0 when none is given', async () => {
      const { store } = context();
      const chat = await seedChat(store);
      expect((await seedMessage(store, chat.id)).hop).toBe(0);
    });

    it('leaves optional fields undefined and attachments empty when not given', async () => {
      const { store } = context();
      const chat = await seedChat(store);
      const message = await seedMessage(store, chat.id, { direction: 'outbound' });
      expect(message.attachments).toEqual([]);
      expect(message.threadId).toBeUndefined();
      expect(message.senderName).toBeUndefined();
      expect(message.replyToPlatformId).toBeUndefined();
      expect(message.replyToAuthorId).toBeUndefined();
      expect(message.replyToText).toBeUndefined();
      expect(message.originalText).toBeUndefined();
      expect(message.editedAt).toBeUndefined();
      expect(message.deletedAt).toBeUndefined();
      expect(message.direction).toBe('outbound');
    });

    it('treats a duplicate (same chat and platform id) as a no-op returning the stored message', async () => {
      const { store } = context();
      const chat = await seedChat(store);
      const first = await store.messages.insert({
        chatId: chat.id,
        platformMessageId: 'dup',
        senderId: 'u',
        text: 'original',
        mentionsBot: false,
        timestamp: startTime,
        direction: 'inbound',
      });
      const second = await store.messages.insert({
        chatId: chat.id,
        platformMessageId: 'dup',
        senderId: 'someone-else',
        text: 'replayed with changes',
        mentionsBot: true,
        timestamp: startTime + 1,
        direction: 'inbound',
      });
      expect(second).toEqual({ message: first.message, inserted: false });
      expect(await store.messages.listForChat(chat.id)).toEqual([first.message]);
      expect(await store.messages.search('replayed')).toEqual([]);
    });

    it('inserts exactly one of many concurrent duplicates', async () => {
      const { store } = context();
      const chat = await seedChat(store);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          store.messages.insert({
            chatId: chat.id,
            platformMessageId: 'race',
            senderId: 'u',
            text: `copy ${index}`,
            mentionsBot: false,
            timestamp: startTime,
            direction: 'inbound',
          }),
        ),
      );
      expect(results.filter((result) => result.inserted)).toHaveLength(1);
      expect(new Set(results.map((result) => result.message.id)).size).toBe(1);
      expect(await store.messages.listForChat(chat.id)).toHaveLength(1);
    });

    it('keeps the same platform id in different chats apart', async () => {
      const { store } = context();
      const one = await seedChat(store);
      const two = await seedChat(store);
      const a = await seedMessage(store, one.id, { platformMessageId: '1' });
      const b = await seedMessage(store, two.id, { platformMessageId: '1' });
      expect(a.id).not.toBe(b.id);
      expect((await store.messages.getByPlatformId(two.id, '1'))?.id).toBe(b.id);
    });

    it('refuses an unknown chat and returns undefined for unknown ids', async () => {
      const { store } = context();
      await expectNotFound(
        store.messages.insert({
          chatId: 'ghost',
          platformMessageId: '1',
          senderId: 'u',
          text: 'x',
          mentionsBot: false,
          timestamp: 1,
          direction: 'inbound',
        }),
        'chat',
        'ghost',
      );
      expect(await store.messages.get('ghost')).toBeUndefined();
      const chat = await seedChat(store);
      expect(await store.messages.getByPlatformId(chat.id, 'nope')).toBeUndefined();
    });

    it('lists a chat by timestamp (ties in insertion order), after a time, keeping the most recent for a limit', async () => {
      const { store } = context();
      const chat = await seedChat(store);
      const other = await seedChat(store);
      const plan: Array<[string, number]> = [
        ['c', 30],
        ['a', 10],
        ['b1', 20],
        ['b2', 20],
        ['d', 40],
      ];
      for (const [text, timestamp] of plan) await seedMessage(store, chat.id, { text, timestamp });
      await seedMessage(store, other.id, { text: 'elsewhere', timestamp: 25 });
      const texts = async (options?: { afterTimestamp?: number; limit?: number }) =>
        (await store.messages.listForChat(chat.id, options)).map((message) => message.text);
      expect(await texts()).toEqual(['a', 'b1', 'b2', 'c', 'd']);
      expect(await texts({ afterTimestamp: 20 })).toEqual(['c', 'd']);
      expect(await texts({ limit: 3 })).toEqual(['b2', 'c', 'd']);
      expect(await texts({ afterTimestamp: 10, limit: 2 })).toEqual(['c', 'd']);
      expect(await texts({ limit: 0 })).toEqual([]);
      expect(await store.messages.listForChat('ghost')).toEqual([]);
    });
  });
}
