import type { InboxEntry, InboxKind, InboxRepository } from '@ngb/plugin-sdk';
import { NotFoundError } from '@ngb/plugin-sdk';
import type { Insertable, Selectable } from 'kysely';
import { allowedValues, assertAllowed } from '../allowed-values';
import { runCachedQuery } from '../cached-query';
import type { SessionInboxTable } from '../database-schema';
import type { RepositoryContext } from '../repository-context';
import { optional, withReferences } from '../row-helpers';

function toInboxEntry(row: Selectable<SessionInboxTable>): InboxEntry {
  return {
    id: row.id,
    sessionId: row.session_id,
    messageId: optional(row.message_id),
    kind: row.kind as InboxKind,
    taskId: optional(row.task_id),
    createdAt: row.created_at,
    processedAt: optional(row.processed_at),
    turnId: optional(row.turn_id),
  };
}

export function createInboxRepository(context: RepositoryContext): InboxRepository {
  const { db } = context;
  return {
    async add(input) {
      assertAllowed(input.kind, allowedValues.inboxKind, 'inbox entry', 'kind');
      const values: Insertable<SessionInboxTable> = {
        id: context.generateId(),
        session_id: input.sessionId,
        message_id: input.messageId ?? null,
        kind: input.kind,
        task_id: input.taskId ?? null,
        created_at: context.now(),
      };
      const references = [
        ['session', 'sessions', input.sessionId],
        ['message', 'messages', input.messageId],
        ['task', 'tasks', input.taskId],
      ] as const;
      const [row] = await withReferences(db(), references, () =>
        runCachedQuery(context, 'inbox.add', Object.values(values), () =>
          db()
            .insertInto('session_inbox')
            .values(values)
            .onConflict((conflict) => conflict.doNothing())
            .returningAll(),
        ),
      );
      if (row !== undefined) return toInboxEntry(row);
      const existing = await db()
        .selectFrom('session_inbox')
        .selectAll()
        .where('session_id', '=', input.sessionId)
        .where('message_id', '=', input.messageId ?? null)
        .executeTakeFirst();
      if (existing === undefined) throw new Error('[@ngb/store] inbox insert conflicted but the stored row was not found');
      return toInboxEntry(existing);
    },

    async get(id) {
      const row = await db().selectFrom('session_inbox').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toInboxEntry(row);
    },

    async listPending(sessionId) {
      const rows = await runCachedQuery(context, 'inbox.listPending', [sessionId], () =>
        db()
          .selectFrom('session_inbox')
          .selectAll()
          .where('session_id', '=', sessionId)
          .where('processed_at', 'is', null)
          .orderBy('seq'),
      );
      return rows.map(toInboxEntry);
    },

    async markProcessed(ids, turnId) {
      if (ids.length === 0) return;
      const unique = [...new Set(ids)];
      const known = await db().selectFrom('session_inbox').select('id').where('id', 'in', unique).execute();
      if (known.length !== unique.length) {
        const found = new Set(known.map((row) => row.id));
        const missing = unique.find((id) => !found.has(id)) ?? '';
        throw new NotFoundError('inbox entry', missing);
      }
      await withReferences(db(), [['turn', 'turns', turnId]], () =>
        db()
          .updateTable('session_inbox')
          .set({ processed_at: context.now(), turn_id: turnId })
          .where('id', 'in', unique)
          .where('processed_at', 'is', null)
          .execute(),
      );
    },

    async sessionsWithPending() {
      const rows = await db()
        .selectFrom('session_inbox')
        .select('session_id')
        .select((eb) => eb.fn.min('seq').as('first_seq'))
        .where('processed_at', 'is', null)
        .where('kind', 'in', ['message', 'task', 'command'])
        .groupBy('session_id')
        .orderBy('first_seq')
        .execute();
      return rows.map((row) => row.session_id);
    },
  };
}
