import { type Kysely, type Migration, sql } from 'kysely';

// A reply the gateway gave up on (a dead letter) is kept for the owner to read and retry: when it
// failed is a column, written with the failure, and the failed rows are listed newest first without
// walking every reply ever sent (a partial index holds only them). Rows that failed before this
// migration take their last update as the time they failed.
const statements = [
  'ALTER TABLE outbox ADD COLUMN failed_at INTEGER',
  `UPDATE outbox SET failed_at = updated_at WHERE status = 'failed'`,
  `CREATE INDEX outbox_failed ON outbox (failed_at DESC, seq DESC) WHERE status = 'failed'`,
];

/** When an outbox row failed for good, and the failed rows by that time. */
export const migration0018DeadLetters: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await sql.raw(statement).execute(db);
  },
};
