import { describe, expect, it } from 'vitest';
import type { ContextAccessor } from './context';
import { seedChat, seedMessage, seedSession } from './context';

export function describeTransactionCases(context: ContextAccessor): void {
  describe('transactions', () => {
    it('declares specification version 1', () => {
      expect(context().store.specificationVersion).toBe(1);
    });

    it('closes idempotently', async () => {
      const { store } = context();
      await store.close();
      await store.close();
    });

    it('commits everything done through tx when fn resolves, and returns its value', async () => {
      const { store } = context();
      const { chat, session } = await seedSession(store);
      const result = await store.transaction(async (tx) => {
        const { message } = await tx.messages.insert({
          chatId: chat.id,
          platformMessageId: 'in-tx',
          senderId: 'u',
          text: 'committed words',
          mentionsBot: false,
          timestamp: 1,
          direction: 'inbound',
        });
        await tx.inbox.add({ sessionId: session.id, messageId: message.id, kind: 'message' });
        expect((await tx.messages.get(message.id))?.text).toBe('committed words');
        return message.id;
      });
      expect((await store.messages.get(result))?.text).toBe('committed words');
      expect(await store.inbox.listPending(session.id)).toHaveLength(1);
      expect(await store.messages.search('committed')).toHaveLength(1);
    });

    it('rolls everything back when fn throws, and passes the error on', async () => {
      const { store } = context();
      const { agent, chat, session } = await seedSession(store);
      const failure = new Error('boom');
      const outcome = store.transaction(async (tx) => {
        const { message } = await tx.messages.insert({
          chatId: chat.id,
          platformMessageId: 'rolled-back',
          senderId: 'u',
          text: 'vanishing words',
          mentionsBot: false,
          timestamp: 1,
          direction: 'inbound',
        });
        await tx.inbox.add({ sessionId: session.id, messageId: message.id, kind: 'message' });
        const turn = await tx.turns.create({ sessionId: session.id, trigger: 'message' });
        await tx.transcript.append(session.id, [{ turnId: turn.id, role: 'assistant', content: 'hi' }]);
        await tx.outbox.enqueue({ key: 'k', channel: chat.channel, chatId: chat.platformChatId, text: 'hi' });
        await tx.agents.update(agent.id, { name: 'changed' });
        await tx.kv.set('ns', 'k', 1);
        throw failure;
      });
      await expect(outcome).rejects.toBe(failure);
      expect(await store.messages.getByPlatformId(chat.id, 'rolled-back')).toBeUndefined();
      expect(await store.messages.search('vanishing')).toEqual([]);
      expect(await store.inbox.listPending(session.id)).toEqual([]);
      expect(await store.turns.listForSession(session.id)).toEqual([]);
      expect(await store.transcript.count(session.id)).toBe(0);
      expect(await store.outbox.listPending()).toEqual([]);
      expect((await store.agents.get(agent.id))?.name).toBe(agent.name);
      expect(await store.kv.get('ns', 'k')).toBeUndefined();
    });

    it('rolls back when a store call inside fails, and the store stays usable', async () => {
      const { store } = context();
      const chat = await seedChat(store);
      const outcome = store.transaction(async (tx) => {
        await tx.kv.set('ns', 'first', 'written');
        await tx.wirings.add({ chatId: chat.id, agentId: 'ghost', engage: 'always', sessionMode: 'shared' });
      });
      await expect(outcome).rejects.toThrow();
      expect(await store.kv.get('ns', 'first')).toBeUndefined();
      await store.kv.set('ns', 'after', 'ok');
      expect(await store.kv.get('ns', 'after')).toBe('ok');
    });

    it('keeps writes made outside a transaction when that transaction rolls back', async () => {
      const { store } = context();
      const chat = await seedChat(store);
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const inside = store.transaction(async (tx) => {
        await tx.kv.set('ns', 'inside', true);
        await gate;
        throw new Error('abort');
      });
      const outside = seedMessage(store, chat.id, { text: 'outside words' });
      release();
      await expect(inside).rejects.toThrow('abort');
      const message = await outside;
      expect(await store.messages.get(message.id)).toEqual(message);
      expect(await store.kv.get('ns', 'inside')).toBeUndefined();
    });

    it('runs transactions one after another without mixing their writes', async () => {
      const { store } = context();
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, index) =>
          store.transaction(async (tx) => {
            await tx.kv.set('tx', `key-${index}`, index);
            await new Promise((resolve) => setTimeout(resolve, 1));
            if (index % 2 === 1) throw new Error(`odd ${index}`);
            return index;
          }),
        ),
      );
      expect(results.map((result) => result.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
        'rejected',
        'fulfilled',
        'rejected',
      ]);
      for (let index = 0; index < 6; index += 1) {
        expect(await store.kv.get('tx', `key-${index}`)).toBe(index % 2 === 0 ? index : undefined);
      }
    });
  });
}
