import type { EgressRequestsRepository, StoredEgressRequest } from '@ngb/plugin-sdk';
import type { Selectable } from 'kysely';
import type { EgressRequestsTable } from '../database-schema';
import type { RepositoryContext } from '../repository-context';
import { normalizeLimit, optional, withReferences } from '../row-helpers';

/** The records of one session the table keeps; older ones go as new ones arrive. */
const keptPerSession = 1000;

function toEgressRequest(row: Selectable<EgressRequestsTable>): StoredEgressRequest {
  const turnId = optional(row.turn_id);
  const address = optional(row.address);
  const reason = optional(row.reason);
  return {
    id: row.id,
    sessionId: row.session_id,
    ...(turnId === undefined ? {} : { turnId }),
    method: row.method,
    host: row.host,
    port: row.port,
    ...(address === undefined ? {} : { address }),
    allowed: row.allowed === 1,
    ...(reason === undefined ? {} : { reason }),
    bytesUp: row.bytes_up,
    bytesDown: row.bytes_down,
    startedAt: row.started_at,
    durationMs: row.duration_ms,
  };
}

export function createEgressRequestsRepository(context: RepositoryContext): EgressRequestsRepository {
  const { db } = context;
  return {
    async add(record) {
      const row = await withReferences(db(), [['session', 'sessions', record.sessionId]], () =>
        db()
          .insertInto('egress_requests')
          .values({
            id: context.generateId(),
            session_id: record.sessionId,
            turn_id: record.turnId ?? null,
            method: record.method,
            host: record.host,
            port: record.port,
            address: record.address ?? null,
            allowed: record.allowed ? 1 : 0,
            reason: record.reason ?? null,
            bytes_up: record.bytesUp,
            bytes_down: record.bytesDown,
            started_at: record.startedAt,
            duration_ms: record.durationMs,
          })
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
      const oldestDropped = await db()
        .selectFrom('egress_requests')
        .select('seq')
        .where('session_id', '=', record.sessionId)
        .orderBy('seq', 'desc')
        .limit(1)
        .offset(keptPerSession)
        .executeTakeFirst();
      if (oldestDropped !== undefined) {
        await db()
          .deleteFrom('egress_requests')
          .where('session_id', '=', record.sessionId)
          .where('seq', '<=', oldestDropped.seq)
          .execute();
      }
      return toEgressRequest(row);
    },

    async listForSession(sessionId, options = {}) {
      const limit = normalizeLimit(options.limit);
      if (limit === 0) return [];
      let query = db().selectFrom('egress_requests').selectAll().where('session_id', '=', sessionId).orderBy('seq', 'desc');
      if (limit !== undefined) query = query.limit(limit);
      return (await query.execute()).reverse().map(toEgressRequest);
    },
  };
}
