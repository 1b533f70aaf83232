import { describe, expect, it } from 'vitest';
import { NgbError } from '../../errors';
import type { ContextAccessor } from './context';
import { expectNotFound } from './context';

const reply = (key: string, chatId = '-100') => ({ key, channel: 'telegram', chatId, text: `reply ${key}` });

export function describeOutboxDeadLetterCases(context: ContextAccessor): void {
  describe('outbox dead letters', () => {
    it('keeps a failed entry with its error, attempts and the time it failed, newest failure first', async () => {
      const { store, advance, now } = context();
      const first = (await store.outbox.enqueue(reply('a'))).entry;
      const second = (await store.outbox.enqueue(reply('b', '-200'))).entry;
      const sent = (await store.outbox.enqueue(reply('c'))).entry;
      await store.outbox.markSent(sent.id, 'p-1', now());
      await store.outbox.bumpAttempt(first.id, '500 Internal Server Error', now() + 1);
      advance(10);
      const failedFirst = await store.outbox.markFailed(first.id, '502 Bad Gateway', { permanent: false });
      expect(failedFirst).toMatchObject({ status: 'failed', attempts: 2, error: '502 Bad Gateway', failedAt: now() });
      advance(10);
      await store.outbox.markFailed(second.id, 'chat not found', { permanent: true, failedAt: now() - 5 });
      expect((await store.outbox.listFailed()).map((entry) => [entry.id, entry.failedAt])).toEqual([
        [second.id, now() - 5],
        [first.id, now() - 10],
      ]);
      expect((await store.outbox.listFailed({ limit: 1 })).map((entry) => entry.id)).toEqual([second.id]);
      expect((await store.outbox.get(sent.id))?.failedAt).toBeUndefined();
    });

    it('queues a failed entry again as new, keeping the parts already sent; only a failed one', async () => {
      const { store, now } = context();
      const entry = (await store.outbox.enqueue(reply('long'))).entry;
      await store.outbox.recordChunk(entry.id, 'part-1');
      await store.outbox.markFailed(entry.id, 'timeout', { permanent: true });
      const again = await store.outbox.requeue(entry.id);
      expect(again).toMatchObject({ status: 'pending', attempts: 0, permanentFailure: false, sentChunkIds: ['part-1'] });
      expect(again.error).toBeUndefined();
      expect(again.failedAt).toBeUndefined();
      expect(again.nextAttemptAt).toBeUndefined();
      expect((await store.outbox.listPending()).map((item) => item.id)).toEqual([entry.id]);
      expect(await store.outbox.listFailed()).toEqual([]);

      const pending = await store.outbox.requeue(entry.id).catch((error: unknown) => error);
      expect(NgbError.isInstance(pending) && pending.code).toBe('outbox_not_failed');
      await store.outbox.markSent(entry.id, 'part-1', now());
      const sent = await store.outbox.requeue(entry.id).catch((error: unknown) => error);
      expect(NgbError.isInstance(sent) && sent.code).toBe('outbox_not_failed');
      expect((await store.outbox.get(entry.id))?.status).toBe('sent');
      await expectNotFound(store.outbox.requeue('ghost'), 'outbox entry', 'ghost');
    });
  });
}
