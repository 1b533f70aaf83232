import type { Turn, TurnStatus, TurnsRepository, TurnTrigger } from '@ngb/plugin-sdk';
import { NotFoundError } from '@ngb/plugin-sdk';
import { type Selectable, sql } from 'kysely';
import { allowedValues, assertAllowed } from '../allowed-values';
import { runCachedQuery } from '../cached-query';
import type { TurnsTable } from '../database-schema';
import type { RepositoryContext } from '../repository-context';
import { normalizeLimit, optional, withReferences } from '../row-helpers';

function toTurn(row: Selectable<TurnsTable>): Turn {
  return {
    id: row.id,
    sessionId: row.session_id,
    trigger: row.trigger as TurnTrigger,
    status: row.status as TurnStatus,
    attempts: row.attempts,
    error: optional(row.error),
    nextAttemptAt: optional(row.next_attempt_at),
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cacheTokens: row.cache_tokens,
    costUsd: row.cost_unknown === 1 ? null : row.cost_usd,
    model: optional(row.model),
    sentMessage: row.sent_message === 1,
    startedAt: optional(row.started_at),
    endedAt: optional(row.ended_at),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function createTurnsRepository(context: RepositoryContext): TurnsRepository {
  const { db, now } = context;
  return {
    async create(input) {
      assertAllowed(input.trigger, allowedValues.trigger, 'turn', 'trigger');
      const time = now();
      const row = await withReferences(db(), [['session', 'sessions', input.sessionId]], () =>
        db()
          .insertInto('turns')
          .values({
            id: context.generateId(),
            session_id: input.sessionId,
            trigger: input.trigger,
            status: 'queued',
            attempts: 0,
            input_tokens: 0,
            output_tokens: 0,
            cache_tokens: 0,
            cost_usd: 0,
            created_at: time,
            updated_at: time,
          })
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
      return toTurn(row);
    },

    async get(id) {
      const row = await db().selectFrom('turns').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toTurn(row);
    },

    async update(id, patch) {
      assertAllowed(patch.status, allowedValues.turnStatus, 'turn', 'status');
      const row = await db()
        .updateTable('turns')
        .set({
          status: patch.status,
          attempts: patch.attempts,
          error: patch.error,
          next_attempt_at: patch.nextAttemptAt,
          input_tokens: patch.inputTokens,
          output_tokens: patch.outputTokens,
          cache_tokens: patch.cacheTokens,
          cost_usd: patch.costUsd === null ? 0 : patch.costUsd,
          cost_unknown: patch.costUsd === undefined ? undefined : patch.costUsd === null ? 1 : 0,
          model: patch.model,
          sent_message: patch.sentMessage === undefined ? undefined : patch.sentMessage ? 1 : 0,
          started_at: patch.startedAt,
          ended_at: patch.endedAt,
          updated_at: now(),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (row === undefined) throw new NotFoundError('turn', id);
      return toTurn(row);
    },

    async listForSession(sessionId, options = {}) {
      const limit = normalizeLimit(options.limit);
      if (limit === 0) return [];
      const query = () => db().selectFrom('turns').selectAll().where('session_id', '=', sessionId).orderBy('seq', 'desc');
      const rows =
        limit === undefined
          ? await runCachedQuery(context, 'turns.listForSession', [sessionId], query)
          : await runCachedQuery(context, 'turns.listForSession.limit', [sessionId, limit], () => query().limit(limit));
      return rows.reverse().map(toTurn);
    },

    async listUnfinished() {
      const rows = await db()
        .selectFrom('turns')
        .selectAll()
        .where('status', 'in', [sql.lit('queued'), sql.lit('running')])
        .orderBy('seq')
        .execute();
      return rows.map(toTurn);
    },
  };
}
