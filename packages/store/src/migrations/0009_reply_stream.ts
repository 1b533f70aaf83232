import { type Kysely, type Migration, sql } from 'kysely';

// A reply streamed into platform messages while its turn runs: the row exists before the turn
// commits (`streaming` = 1 keeps delivery away from it) and records each message it streamed into,
// so a restart edits those messages instead of sending the reply again.
const statements = [
  "ALTER TABLE outbox ADD COLUMN stream_message_ids TEXT NOT NULL DEFAULT '[]'",
  'ALTER TABLE outbox ADD COLUMN streaming INTEGER NOT NULL DEFAULT 0',
];

/** Streamed replies: the platform messages a reply streamed into, and whether its turn still streams. */
export const migration0009ReplyStream: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await sql.raw(statement).execute(db);
  },
};
