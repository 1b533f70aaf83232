import { type Kysely, type Migration, sql } from 'kysely';

// A compacted session keeps its older entries: they leave the model's view (archived) but stay readable.
const statements = ['ALTER TABLE transcript ADD COLUMN archived_at INTEGER'];

/** Archived transcript entries: replaced by a summary for the model, kept in the store. */
export const migration0014TranscriptArchive: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await sql.raw(statement).execute(db);
  },
};
