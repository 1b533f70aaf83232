import type { Session, SessionKey, SessionStatus, SessionsRepository } from '@ngb/plugin-sdk';
import { ConfigError, NotFoundError } from '@ngb/plugin-sdk';
import { type Selectable, sql } from 'kysely';
import { allowedValues, assertAllowed } from '../allowed-values';
import { runCachedQuery } from '../cached-query';
import type { SessionsTable } from '../database-schema';
import type { RepositoryContext } from '../repository-context';
import { isUniqueViolation, optional, withReferences } from '../row-helpers';

function toSession(row: Selectable<SessionsTable>): Session {
  return {
    id: row.id,
    agentId: row.agent_id,
    chatId: optional(row.chat_id),
    threadId: optional(row.thread_id),
    status: row.status as SessionStatus,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastActivityAt: row.last_activity_at,
  };
}

// An empty id is treated as "none", so the key matches the unique index on ifnull(column, '').
function keyPart(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === '' ? null : value;
}

export function createSessionsRepository(context: RepositoryContext): SessionsRepository {
  const { db, now } = context;

  async function findActive(key: SessionKey) {
    const chatId = keyPart(key.chatId) ?? '';
    const threadId = keyPart(key.threadId) ?? '';
    const [row] = await runCachedQuery(context, 'sessions.findActive', [key.agentId, chatId, threadId], () =>
      db()
        .selectFrom('sessions')
        .selectAll()
        .where('agent_id', '=', key.agentId)
        .where(sql<string>`ifnull(chat_id, '')`, '=', chatId)
        .where(sql<string>`ifnull(thread_id, '')`, '=', threadId)
        .where('status', '=', sql.lit('active')),
    );
    return row;
  }

  return {
    async getOrCreate(key) {
      const existing = await findActive(key);
      if (existing !== undefined) return { session: toSession(existing), created: false };
      const time = now();
      const inserted = await withReferences(
        db(),
        [
          ['agent', 'agents', key.agentId],
          ['chat', 'chats', keyPart(key.chatId)],
        ],
        () =>
          db()
            .insertInto('sessions')
            .values({
              id: context.generateId(),
              agent_id: key.agentId,
              chat_id: keyPart(key.chatId),
              thread_id: keyPart(key.threadId),
              status: 'active',
              created_at: time,
              updated_at: time,
              last_activity_at: time,
            })
            .onConflict((conflict) => conflict.doNothing())
            .returningAll()
            .executeTakeFirst(),
      );
      if (inserted !== undefined) return { session: toSession(inserted), created: true };
      // Another caller created it between our read and our insert.
      const raced = await findActive(key);
      if (raced === undefined) throw new Error('[@ngb/store] session insert conflicted but no active session was found');
      return { session: toSession(raced), created: false };
    },

    async get(id) {
      const [row] = await runCachedQuery(context, 'sessions.get', [id], () =>
        db().selectFrom('sessions').selectAll().where('id', '=', id),
      );
      return row === undefined ? undefined : toSession(row);
    },

    async list(filter = {}) {
      let query = db().selectFrom('sessions').selectAll().orderBy('seq');
      if (filter.agentId !== undefined) query = query.where('agent_id', '=', filter.agentId);
      if (filter.chatId !== undefined) query = query.where('chat_id', '=', filter.chatId);
      if (filter.status !== undefined) query = query.where('status', '=', filter.status);
      return (await query.execute()).map(toSession);
    },

    async update(id, patch) {
      assertAllowed(patch.status, allowedValues.sessionStatus, 'session', 'status');
      try {
        const row = await db()
          .updateTable('sessions')
          .set({ status: patch.status, last_activity_at: patch.lastActivityAt, updated_at: now() })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst();
        if (row === undefined) throw new NotFoundError('session', id);
        return toSession(row);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        throw new ConfigError(`[@ngb/store] session "${id}" cannot be reactivated: its chat/thread has another active session`, {
          key: 'status',
          cause: error,
        });
      }
    },

    async findByIdPrefix(prefix) {
      if (prefix === '') return [];
      const rows = await db()
        .selectFrom('sessions')
        .selectAll()
        .where(sql<number>`instr(id, ${prefix})`, '=', 1)
        .orderBy('seq')
        .execute();
      return rows.map(toSession);
    },
  };
}
