import { type Kysely, type Migration, sql } from 'kysely';

// A session is run by the gateway process holding its lease (holder id, expiry), so two processes on
// one database never run the same session. Free leases are NULL; the index serves the takeover
// queries (which leases expire next, which are free).
const statements = [
  'ALTER TABLE sessions ADD COLUMN lease_holder TEXT',
  'ALTER TABLE sessions ADD COLUMN lease_expires_at INTEGER',
  'CREATE INDEX sessions_lease ON sessions (lease_expires_at) WHERE lease_holder IS NOT NULL',
];

export const migration0006SessionLeases: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await sql.raw(statement).execute(db);
  },
};
