import { type Kysely, type Migration, sql } from 'kysely';

// Every turn reads what was appended to its session's live transcript and where that transcript now
// starts. With archived entries only in the table, not in the index, both walked the archived ones:
// a partial index of the live entries keeps them proportional to what they return.
const statements = ['CREATE INDEX transcript_live ON transcript (session_id, seq) WHERE archived_at IS NULL'];

/** The live (not archived) transcript entries by session, in order. */
export const migration0016LiveTranscript: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await sql.raw(statement).execute(db);
  },
};
