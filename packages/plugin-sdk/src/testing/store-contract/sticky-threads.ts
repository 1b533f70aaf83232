import { describe, expect, it } from 'vitest';
import type { ContextAccessor } from './context';
import { expectNotFound, seedSession, startTime } from './context';

export function describeStickyThreadCases(context: ContextAccessor): void {
  describe('sticky threads', () => {
    it('keeps the last engaged time per agent, chat and thread, moved by each touch', async () => {
      const { store } = context();
      const { agent, chat, session } = await seedSession(store);
      const key = { agentId: agent.id, chatId: chat.id, threadId: 't1' };
      expect(await store.stickyThreads.lastEngagedAt(key)).toBeUndefined();
      await store.stickyThreads.touch({ ...key, sessionId: session.id, engagedAt: startTime });
      await store.stickyThreads.touch({ ...key, sessionId: session.id, engagedAt: startTime + 5 });
      expect(await store.stickyThreads.lastEngagedAt(key)).toBe(startTime + 5);
      expect(await store.stickyThreads.lastEngagedAt({ ...key, threadId: 't2' })).toBeUndefined();
    });

    it('ends with its session: cleared, or closed', async () => {
      const { store } = context();
      const { agent, chat, session } = await seedSession(store);
      const one = { agentId: agent.id, chatId: chat.id, threadId: 't1' };
      const two = { ...one, threadId: 't2' };
      await store.stickyThreads.touch({ ...one, sessionId: session.id, engagedAt: startTime });
      await store.stickyThreads.touch({ ...two, sessionId: session.id, engagedAt: startTime });
      expect(await store.stickyThreads.clearForSession(session.id)).toBe(2);
      expect(await store.stickyThreads.lastEngagedAt(one)).toBeUndefined();
      await store.stickyThreads.touch({ ...one, sessionId: session.id, engagedAt: startTime });
      await store.sessions.update(session.id, { status: 'closed' });
      expect(await store.stickyThreads.lastEngagedAt(one)).toBeUndefined();
    });

    it('refuses an unknown session', async () => {
      const { store } = context();
      const { agent, chat } = await seedSession(store);
      await expectNotFound(
        store.stickyThreads.touch({
          agentId: agent.id,
          chatId: chat.id,
          threadId: 't1',
          sessionId: 'nope',
          engagedAt: startTime,
        }),
        'session',
        'nope',
      );
    });
  });
}
