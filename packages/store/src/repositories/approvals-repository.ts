import type { Approval, ApprovalKind, ApprovalStatus, ApprovalsRepository } from '@ngb/plugin-sdk';
import { ConfigError, NotFoundError } from '@ngb/plugin-sdk';
import { type Selectable, sql } from 'kysely';
import { allowedValues, assertAllowed } from '../allowed-values';
import type { ApprovalsTable } from '../database-schema';
import type { RepositoryContext } from '../repository-context';
import { isUniqueViolation, optional, withReferences } from '../row-helpers';

function toApproval(row: Selectable<ApprovalsTable>): Approval {
  return {
    id: row.id,
    kind: row.kind as ApprovalKind,
    chatId: row.chat_id,
    userId: optional(row.user_id),
    messageId: optional(row.message_id),
    code: row.code,
    status: row.status as ApprovalStatus,
    requestedAt: row.requested_at,
    resolvedAt: optional(row.resolved_at),
  };
}

export function createApprovalsRepository(context: RepositoryContext): ApprovalsRepository {
  const { db } = context;

  async function get(id: string): Promise<Approval | undefined> {
    const row = await db().selectFrom('approvals').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toApproval(row);
  }

  return {
    async create(input) {
      assertAllowed(input.kind, allowedValues.approvalKind, 'approval', 'kind');
      try {
        const row = await withReferences(
          db(),
          [
            ['chat', 'chats', input.chatId],
            ['user', 'users', input.userId],
            ['message', 'messages', input.messageId],
          ],
          () =>
            db()
              .insertInto('approvals')
              .values({
                id: context.generateId(),
                kind: input.kind,
                chat_id: input.chatId,
                user_id: input.userId ?? null,
                message_id: input.messageId ?? null,
                code: input.code,
                status: 'pending',
                requested_at: input.requestedAt,
              })
              .returningAll()
              .executeTakeFirstOrThrow(),
        );
        return toApproval(row);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        throw new ConfigError('[@ngb/store] approval code is already used; generate a fresh one', { key: 'code', cause: error });
      }
    },

    get,

    async findPending(query) {
      let select = db()
        .selectFrom('approvals')
        .selectAll()
        .where('chat_id', '=', query.chatId)
        .where('kind', '=', query.kind)
        .where('status', '=', sql.lit('pending'))
        .orderBy('seq')
        .limit(1);
      if (query.userId !== undefined) select = select.where('user_id', '=', query.userId);
      const row = await select.executeTakeFirst();
      return row === undefined ? undefined : toApproval(row);
    },

    async getByCode(code) {
      const row = await db().selectFrom('approvals').selectAll().where('code', '=', code).executeTakeFirst();
      return row === undefined ? undefined : toApproval(row);
    },

    async resolve(id, status, resolvedAt) {
      assertAllowed(status, allowedValues.approvalDecision, 'approval', 'status');
      const row = await db()
        .updateTable('approvals')
        .set({ status, resolved_at: resolvedAt })
        .where('id', '=', id)
        .where('status', '=', sql.lit('pending'))
        .returningAll()
        .executeTakeFirst();
      if (row !== undefined) return toApproval(row);
      const current = await get(id);
      if (current === undefined) throw new NotFoundError('approval', id);
      return current;
    },

    async list(filter = {}) {
      let query = db().selectFrom('approvals').selectAll().orderBy('seq');
      if (filter.status !== undefined) query = query.where('status', '=', filter.status);
      return (await query.execute()).map(toApproval);
    },
  };
}
