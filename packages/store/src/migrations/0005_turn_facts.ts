import { type Kysely, type Migration, sql } from 'kysely';

// Facts the core relies on are columns written in the transaction that makes them true, not
// key-value rows written after it. An outbox row remembers the platform ids of the parts of a long
// text already sent, so delivery resumes after them when a process died part-way.
const statements = ["ALTER TABLE outbox ADD COLUMN sent_chunk_ids TEXT NOT NULL DEFAULT '[]'"];

/** Durable facts of turns and deliveries as columns. */
export const migration0005TurnFacts: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await sql.raw(statement).execute(db);
  },
};
