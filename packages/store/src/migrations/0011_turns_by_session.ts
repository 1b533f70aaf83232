import { type Kysely, type Migration, sql } from 'kysely';

// A session's latest turns are read before every turn (`order by seq desc limit n`): with an index on
// the session alone, SQLite sorted all of the session's turns each time, which grows with a long-lived
// chat. The new index serves the order too, and covers what the old one did.
const statements = ['CREATE INDEX turns_session_seq ON turns (session_id, seq)', 'DROP INDEX turns_session'];

/** Turns by session in order: the latest turns of a session without sorting them all. */
export const migration0011TurnsBySession: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await sql.raw(statement).execute(db);
  },
};
