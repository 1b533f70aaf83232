import { describe, expect, it } from 'vitest';
import type { Store } from '../../contracts/store';
import type { ContextAccessor } from './context';
import { expectNotFound, expectTypeError, seedMessage, seedSession } from './context';

const minute = 60_000;

/** A session with one unprocessed message in its inbox. */
async function pendingSession(store: Store): Promise<string> {
  const { chat, session } = await seedSession(store);
  const message = await seedMessage(store, chat.id);
  await store.inbox.add({ sessionId: session.id, messageId: message.id, kind: 'message' });
  return session.id;
}

export function describeLeaseCases(context: ContextAccessor): void {
  describe('session leases', () => {
    it('acquires a free lease, refuses another holder until it expires, then lets it take over', async () => {
      const { store } = context();
      const sessionId = await pendingSession(store);
      const t = 1_000_000;
      expect(await store.leases.get(sessionId)).toBeUndefined();
      expect(await store.leases.acquire(sessionId, 'a', { now: t, expiresAt: t + minute })).toBe(true);
      expect(await store.leases.get(sessionId)).toEqual({ sessionId, holderId: 'a', expiresAt: t + minute });
      expect(await store.leases.acquire(sessionId, 'b', { now: t + minute - 1, expiresAt: t + 2 * minute })).toBe(false);
      expect(await store.leases.get(sessionId)).toEqual({ sessionId, holderId: 'a', expiresAt: t + minute });
      // Expired at its expiry: the other holder takes it over.
      expect(await store.leases.acquire(sessionId, 'b', { now: t + minute, expiresAt: t + 2 * minute })).toBe(true);
      expect(await store.leases.get(sessionId)).toEqual({ sessionId, holderId: 'b', expiresAt: t + 2 * minute });
    });

    it('lets the holder acquire again, extending its lease', async () => {
      const { store } = context();
      const sessionId = await pendingSession(store);
      expect(await store.leases.acquire(sessionId, 'a', { now: 0, expiresAt: 10 })).toBe(true);
      expect(await store.leases.acquire(sessionId, 'a', { now: 5, expiresAt: 50 })).toBe(true);
      expect((await store.leases.get(sessionId))?.expiresAt).toBe(50);
    });

    it('gives a session to exactly one of two holders racing for it', async () => {
      const { store } = context();
      const sessionId = await pendingSession(store);
      const holders = ['a', 'b', 'c', 'd'];
      const won = await Promise.all(
        holders.map((holder) => store.leases.acquire(sessionId, holder, { now: 0, expiresAt: minute })),
      );
      expect(won.filter(Boolean)).toHaveLength(1);
      expect((await store.leases.get(sessionId))?.holderId).toBe(holders[won.indexOf(true)]);
    });

    it('renews only for the holder, even once expired, and never a lease someone else took', async () => {
      const { store } = context();
      const sessionId = await pendingSession(store);
      expect(await store.leases.renew(sessionId, 'a', { now: 0, expiresAt: minute })).toBe(false);
      expect(await store.leases.get(sessionId)).toBeUndefined();
      await store.leases.acquire(sessionId, 'a', { now: 0, expiresAt: minute });
      expect(await store.leases.renew(sessionId, 'b', { now: 1, expiresAt: 2 * minute })).toBe(false);
      expect((await store.leases.get(sessionId))?.holderId).toBe('a');
      expect(await store.leases.renew(sessionId, 'a', { now: 2 * minute, expiresAt: 3 * minute })).toBe(true);
      expect(await store.leases.get(sessionId)).toEqual({ sessionId, holderId: 'a', expiresAt: 3 * minute });
      await store.leases.acquire(sessionId, 'b', { now: 3 * minute, expiresAt: 4 * minute });
      expect(await store.leases.renew(sessionId, 'a', { now: 3 * minute, expiresAt: 5 * minute })).toBe(false);
      expect(await store.leases.get(sessionId)).toEqual({ sessionId, holderId: 'b', expiresAt: 4 * minute });
    });

    it('releases only for the holder', async () => {
      const { store } = context();
      const sessionId = await pendingSession(store);
      await store.leases.acquire(sessionId, 'a', { now: 0, expiresAt: minute });
      await store.leases.release(sessionId, 'b');
      expect((await store.leases.get(sessionId))?.holderId).toBe('a');
      await store.leases.release(sessionId, 'a');
      expect(await store.leases.get(sessionId)).toBeUndefined();
      expect(await store.leases.acquire(sessionId, 'b', { now: 1, expiresAt: minute })).toBe(true);
      await store.leases.release('ghost', 'b');
    });

    it('refuses an unknown session and an expiry that is not after now', async () => {
      const { store } = context();
      const sessionId = await pendingSession(store);
      await expectNotFound(store.leases.acquire('ghost', 'a', { now: 0, expiresAt: 1 }), 'session', 'ghost');
      await expectTypeError(store.leases.acquire(sessionId, 'a', { now: 5, expiresAt: 5 }));
      await expectTypeError(store.leases.renew(sessionId, 'a', { now: 5, expiresAt: Number.NaN }));
      expect(await store.leases.get(sessionId)).toBeUndefined();
      expect(await store.leases.get('ghost')).toBeUndefined();
    });

    it('knows which sessions have pending work: unprocessed messages or tasks, unsent replies', async () => {
      const { store } = context();
      const { chat, session } = await seedSession(store);
      expect(await store.leases.hasPendingWork(session.id)).toBe(false);
      const context_ = await seedMessage(store, chat.id);
      await store.inbox.add({ sessionId: session.id, messageId: context_.id, kind: 'context' });
      expect(await store.leases.hasPendingWork(session.id)).toBe(false);
      const message = await seedMessage(store, chat.id);
      const entry = await store.inbox.add({ sessionId: session.id, messageId: message.id, kind: 'message' });
      expect(await store.leases.hasPendingWork(session.id)).toBe(true);
      const turn = await store.turns.create({ sessionId: session.id, trigger: 'message' });
      await store.inbox.markProcessed([entry.id], turn.id);
      expect(await store.leases.hasPendingWork(session.id)).toBe(false);
      const { entry: reply } = await store.outbox.enqueue({
        key: 'k1',
        sessionId: session.id,
        channel: chat.channel,
        chatId: chat.platformChatId,
        text: 'hi',
      });
      expect(await store.leases.hasPendingWork(session.id)).toBe(true);
      await store.outbox.markSent(reply.id, 'p1', 1);
      expect(await store.leases.hasPendingWork(session.id)).toBe(false);
    });

    it('lists sessions with pending work that are free, expired or the caller’s, longest waiting first', async () => {
      const { store, advance } = context();
      const free = await pendingSession(store);
      advance(1);
      const held = await pendingSession(store);
      advance(1);
      const expired = await pendingSession(store);
      advance(1);
      const mine = await pendingSession(store);
      advance(1);
      const { chat, session: replyOnly } = await seedSession(store);
      await store.outbox.enqueue({
        key: 'r',
        sessionId: replyOnly.id,
        channel: chat.channel,
        chatId: chat.platformChatId,
        text: 'x',
      });
      const { session: idle } = await seedSession(store);
      await store.leases.acquire(held, 'other', { now: 0, expiresAt: 100 });
      await store.leases.acquire(expired, 'other', { now: 0, expiresAt: 10 });
      await store.leases.acquire(mine, 'me', { now: 0, expiresAt: 100 });
      await store.leases.acquire(idle.id, 'other', { now: 0, expiresAt: 10 });
      expect(await store.leases.listAvailable('me', 50)).toEqual([free, expired, mine, replyOnly.id]);
      expect(await store.leases.listAvailable('other', 50)).toEqual([free, held, expired, replyOnly.id]);
      expect(await store.leases.listAvailable('me', 100)).toEqual([free, held, expired, mine, replyOnly.id]);
    });

    it('tells the earliest future expiry of other holders’ leases on sessions with pending work', async () => {
      const { store } = context();
      const late = await pendingSession(store);
      const soon = await pendingSession(store);
      const past = await pendingSession(store);
      const mine = await pendingSession(store);
      const { session: idle } = await seedSession(store);
      expect(await store.leases.nextExpiry('me', 0)).toBeUndefined();
      await store.leases.acquire(late, 'b', { now: 0, expiresAt: 300 });
      await store.leases.acquire(soon, 'c', { now: 0, expiresAt: 200 });
      await store.leases.acquire(past, 'b', { now: 0, expiresAt: 50 });
      await store.leases.acquire(mine, 'me', { now: 0, expiresAt: 100 });
      await store.leases.acquire(idle.id, 'b', { now: 0, expiresAt: 60 });
      expect(await store.leases.nextExpiry('me', 60)).toBe(200);
      expect(await store.leases.nextExpiry('me', 200)).toBe(300);
      expect(await store.leases.nextExpiry('me', 300)).toBeUndefined();
      expect(await store.leases.nextExpiry('b', 60)).toBe(100);
    });

    it('keeps leases apart from the session record', async () => {
      const { store } = context();
      const sessionId = await pendingSession(store);
      const before = await store.sessions.get(sessionId);
      await store.leases.acquire(sessionId, 'a', { now: 0, expiresAt: minute });
      expect(await store.sessions.get(sessionId)).toEqual(before);
    });
  });
}
