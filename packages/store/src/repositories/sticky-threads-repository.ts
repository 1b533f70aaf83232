import type { StickyThreadsRepository } from '@ngb/plugin-sdk';
import { sql } from 'kysely';
import type { RepositoryContext } from '../repository-context';
import { withReferences } from '../row-helpers';

export function createStickyThreadsRepository(context: RepositoryContext): StickyThreadsRepository {
  const { db } = context;
  return {
    async touch(thread) {
      await withReferences(
        db(),
        [
          ['agent', 'agents', thread.agentId],
          ['chat', 'chats', thread.chatId],
          ['session', 'sessions', thread.sessionId],
        ],
        () =>
          db()
            .insertInto('sticky_threads')
            .values({
              agent_id: thread.agentId,
              chat_id: thread.chatId,
              thread_id: thread.threadId,
              session_id: thread.sessionId,
              engaged_at: thread.engagedAt,
            })
            .onConflict((conflict) =>
              conflict
                .columns(['agent_id', 'chat_id', 'thread_id'])
                .doUpdateSet({ session_id: thread.sessionId, engaged_at: thread.engagedAt }),
            )
            .execute(),
      );
    },

    async lastEngagedAt(key) {
      const row = await db()
        .selectFrom('sticky_threads')
        .innerJoin('sessions', 'sessions.id', 'sticky_threads.session_id')
        .select('sticky_threads.engaged_at')
        .where('sticky_threads.agent_id', '=', key.agentId)
        .where('sticky_threads.chat_id', '=', key.chatId)
        .where('sticky_threads.thread_id', '=', key.threadId)
        .where('sessions.status', '=', sql.lit('active'))
        .executeTakeFirst();
      return row?.engaged_at;
    },

    async clearForSession(sessionId) {
      const result = await db().deleteFrom('sticky_threads').where('session_id', '=', sessionId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
