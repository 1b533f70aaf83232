import { type Kysely, type Migration, sql } from 'kysely';

// Inbound messages can be edited and deleted on their platform, and a reply can quote the message it
// answers; outbound text says whether it is markdown. An edit replaces `text` (the search index follows
// through the update trigger of 0002) and keeps the first text in `original_text`; a deletion only sets
// `deleted_at`. Rows stored before this keep NULLs: never edited, never deleted, nothing quoted. Outbox
// rows queued before this are sent as plain text, which shows any text as it was written.
const statements = [
  'ALTER TABLE messages ADD COLUMN reply_to_author_id TEXT',
  'ALTER TABLE messages ADD COLUMN reply_to_author_name TEXT',
  'ALTER TABLE messages ADD COLUMN reply_to_text TEXT',
  'ALTER TABLE messages ADD COLUMN original_text TEXT',
  'ALTER TABLE messages ADD COLUMN edited_at INTEGER',
  'ALTER TABLE messages ADD COLUMN deleted_at INTEGER',
  `ALTER TABLE outbox ADD COLUMN format TEXT NOT NULL DEFAULT 'plain' CHECK (format IN ('markdown', 'plain'))`,
];

export const migration0007MessageEdits: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await sql.raw(statement).execute(db);
  },
};
