import type { LeaseTimes, SessionLeasesRepository } from '@ngb/plugin-sdk';
import { NotFoundError } from '@ngb/plugin-sdk';
import { type ExpressionBuilder, sql } from 'kysely';
import { runCachedQuery } from '../cached-query';
import type { StoreDatabase } from '../database-schema';
import type { RepositoryContext } from '../repository-context';

function checkTimes(times: LeaseTimes): void {
  if (!Number.isFinite(times.now) || !Number.isFinite(times.expiresAt) || times.expiresAt <= times.now)
    throw new TypeError('[@ngb/store] a lease must expire after `now` (finite epoch milliseconds)');
}

// Pending work of a session, as the contract defines it: the first time each kind of work waits since.
const pendingWork = sql<{ session_id: string; since: number }>`(
  SELECT session_id, min(created_at) AS since FROM session_inbox
    WHERE processed_at IS NULL AND kind IN ('message', 'task', 'command') GROUP BY session_id
  UNION ALL
  SELECT session_id, min(created_at) AS since FROM outbox
    WHERE status = 'pending' AND session_id IS NOT NULL GROUP BY session_id
)`;

export function createSessionLeasesRepository(context: RepositoryContext): SessionLeasesRepository {
  const { db } = context;
  const heldBy = (holderId: string) => (eb: ExpressionBuilder<StoreDatabase, 'sessions'>) => eb('lease_holder', '=', holderId);

  return {
    async acquire(sessionId, holderId, times) {
      checkTimes(times);
      // One statement: free, expired or already ours, or nothing changes.
      // RETURNING says whether the row changed (a cached query yields rows, not a change count).
      const [won] = await runCachedQuery(
        context,
        'leases.acquire',
        [holderId, times.expiresAt, sessionId, times.now, holderId],
        () =>
          db()
            .updateTable('sessions')
            .set({ lease_holder: holderId, lease_expires_at: times.expiresAt })
            .where('id', '=', sessionId)
            .where((eb) => eb.or([eb('lease_holder', 'is', null), eb('lease_expires_at', '<=', times.now), heldBy(holderId)(eb)]))
            .returning('id'),
      );
      if (won !== undefined) return true;
      const exists = await db().selectFrom('sessions').select('id').where('id', '=', sessionId).executeTakeFirst();
      if (exists === undefined) throw new NotFoundError('session', sessionId);
      return false;
    },

    async renew(sessionId, holderId, times) {
      checkTimes(times);
      const result = await db()
        .updateTable('sessions')
        .set({ lease_expires_at: times.expiresAt })
        .where('id', '=', sessionId)
        .where(heldBy(holderId))
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async release(sessionId, holderId) {
      await db()
        .updateTable('sessions')
        .set({ lease_holder: null, lease_expires_at: null })
        .where('id', '=', sessionId)
        .where(heldBy(holderId))
        .execute();
    },

    async get(sessionId) {
      const row = await db()
        .selectFrom('sessions')
        .select(['id', 'lease_holder', 'lease_expires_at'])
        .where('id', '=', sessionId)
        .executeTakeFirst();
      if (row?.lease_holder == null || row.lease_expires_at == null) return undefined;
      return { sessionId: row.id, holderId: row.lease_holder, expiresAt: row.lease_expires_at };
    },

    async hasPendingWork(sessionId) {
      const row = await sql<{ pending: number }>`SELECT (
        EXISTS (SELECT 1 FROM session_inbox WHERE session_id = ${sessionId} AND processed_at IS NULL AND kind IN ('message', 'task', 'command'))
        OR EXISTS (SELECT 1 FROM outbox WHERE session_id = ${sessionId} AND status = 'pending')
      ) AS pending`.execute(db());
      return Boolean(row.rows[0]?.pending);
    },

    async listAvailable(holderId, now) {
      const result = await sql<{ id: string }>`
        SELECT sessions.id AS id FROM sessions JOIN ${pendingWork} AS work ON work.session_id = sessions.id
        WHERE sessions.lease_holder IS NULL OR sessions.lease_expires_at <= ${now} OR sessions.lease_holder = ${holderId}
        GROUP BY sessions.id, sessions.seq
        ORDER BY min(work.since), sessions.seq`.execute(db());
      return result.rows.map((row) => row.id);
    },

    async nextExpiry(holderId, now) {
      const result = await sql<{ next: number | null }>`
        SELECT min(sessions.lease_expires_at) AS next FROM sessions
        WHERE sessions.lease_holder IS NOT NULL AND sessions.lease_holder <> ${holderId} AND sessions.lease_expires_at > ${now}
          AND sessions.id IN (SELECT session_id FROM ${pendingWork} AS work)`.execute(db());
      const next = result.rows[0]?.next;
      return next === null || next === undefined ? undefined : Number(next);
    },
  };
}
