import type { TranscriptEntry, TranscriptRepository, TranscriptRole } from '@ngb/plugin-sdk';
import type { Insertable, Kysely, Selectable } from 'kysely';
import { allowedValues, assertAllowed } from '../allowed-values';
import { runCachedQuery } from '../cached-query';
import type { StoreDatabase, TranscriptTable } from '../database-schema';
import type { RepositoryContext } from '../repository-context';
import { normalizeLimit, optional, parseJsonColumn, toJsonColumn, withReferences } from '../row-helpers';

// Keeps each multi-row INSERT well under SQLite's bound-parameter limit.
const rowsPerInsert = 100;

export function createTranscriptRepository(context: RepositoryContext): TranscriptRepository {
  const { db, logger } = context;

  function toEntry(row: Selectable<TranscriptTable>): TranscriptEntry {
    return {
      id: row.id,
      seq: row.seq,
      sessionId: row.session_id,
      turnId: optional(row.turn_id),
      role: row.role as TranscriptRole,
      content: parseJsonColumn<unknown>(row.content, null, logger, `transcript ${row.id} content`),
      createdAt: row.created_at,
    };
  }

  return {
    async append(sessionId, entries) {
      if (entries.length === 0) return [];
      for (const entry of entries) assertAllowed(entry.role, allowedValues.transcriptRole, 'transcript entry', 'role');
      const time = context.now();
      const rows: Insertable<TranscriptTable>[] = entries.map((entry, index) => ({
        id: context.generateId(),
        session_id: sessionId,
        turn_id: entry.turnId ?? null,
        role: entry.role,
        content: toJsonColumn(entry.content, `transcript entry ${index} content`),
        created_at: time,
      }));
      const turnIds = [...new Set(entries.map((entry) => entry.turnId).filter((id) => id !== undefined))];
      const references = [['session', 'sessions', sessionId] as const, ...turnIds.map((id) => ['turn', 'turns', id] as const)];
      const insertAll = async (database: Kysely<StoreDatabase>) => {
        const stored: TranscriptEntry[] = [];
        for (let start = 0; start < rows.length; start += rowsPerInsert) {
          const chunk = rows.slice(start, start + rowsPerInsert);
          const inserted = await withReferences(database, references, () =>
            database.insertInto('transcript').values(chunk).returningAll().execute(),
          );
          // RETURNING order is not guaranteed; seq is.
          stored.push(...inserted.sort((a, b) => a.seq - b.seq).map(toEntry));
        }
        return stored;
      };
      const database = db();
      // Several INSERTs must land together; one INSERT is atomic by itself.
      if (rows.length <= rowsPerInsert || database.isTransaction) return insertAll(database);
      return database.transaction().execute(insertAll);
    },

    async list(sessionId, options = {}) {
      const limit = normalizeLimit(options.limit);
      if (limit === 0) return [];
      const after = options.after;
      if (after !== undefined && !Number.isSafeInteger(after))
        throw new TypeError(`transcript list: after must be a whole number (got ${after})`);
      const query = () => {
        const base = db()
          .selectFrom('transcript')
          .selectAll()
          .where('session_id', '=', sessionId)
          .where('archived_at', 'is', null);
        return (after === undefined ? base : base.where('seq', '>', after)).orderBy('seq', 'desc');
      };
      const key = `transcript.list${after === undefined ? '' : '.after'}${limit === undefined ? '' : '.limit'}`;
      const parameters = [sessionId, ...(after === undefined ? [] : [after]), ...(limit === undefined ? [] : [limit])];
      const rows = await runCachedQuery(context, key, parameters, () => (limit === undefined ? query() : query().limit(limit)));
      return rows.reverse().map(toEntry);
    },

    async clear(sessionId) {
      const result = await db().deleteFrom('transcript').where('session_id', '=', sessionId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async count(sessionId) {
      const row = await db()
        .selectFrom('transcript')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('session_id', '=', sessionId)
        .where('archived_at', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    async firstSeq(sessionId) {
      const [row] = await runCachedQuery(context, 'transcript.firstSeq', [sessionId, 1], () =>
        db()
          .selectFrom('transcript')
          .select('seq')
          .where('session_id', '=', sessionId)
          .where('archived_at', 'is', null)
          .orderBy('seq', 'asc')
          .limit(1),
      );
      return row?.seq;
    },

    async archive(sessionId, throughSeq) {
      if (!Number.isSafeInteger(throughSeq))
        throw new TypeError(`transcript archive: throughSeq must be a whole number (got ${throughSeq})`);
      const result = await db()
        .updateTable('transcript')
        .set({ archived_at: context.now() })
        .where('session_id', '=', sessionId)
        .where('seq', '<=', throughSeq)
        .where('archived_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async listArchived(sessionId) {
      const rows = await db()
        .selectFrom('transcript')
        .selectAll()
        .where('session_id', '=', sessionId)
        .where('archived_at', 'is not', null)
        .orderBy('seq', 'asc')
        .execute();
      return rows.map(toEntry);
    },
  };
}
