import { type Kysely, type Migration, sql } from 'kysely';

// Indexing each message for full-text search as it is inserted made FTS5 flush a segment per commit,
// which cost about 40% of the ingest rate. New messages are now indexed in bulk: before every search,
// and every few hundred inserts (see `messages-repository.ts`). `search_index_state.indexed_seq` is the
// highest `messages.seq` the index holds; rows above it are not indexed yet, so deleting or editing
// them needs nothing from the index.
const statements = [
  'DROP TRIGGER messages_fts_insert',
  'DROP TRIGGER messages_fts_delete',
  'DROP TRIGGER messages_fts_update',
  `CREATE TABLE search_index_state (id INTEGER PRIMARY KEY CHECK (id = 1), indexed_seq INTEGER NOT NULL)`,
  'INSERT INTO search_index_state (id, indexed_seq) SELECT 1, COALESCE(MAX(seq), 0) FROM messages',
  // Catching up is one UPDATE of indexed_seq: this trigger indexes exactly the rows it moves past, atomically.
  `CREATE TRIGGER search_index_catch_up AFTER UPDATE OF indexed_seq ON search_index_state
    WHEN new.indexed_seq > old.indexed_seq BEGIN
    INSERT INTO messages_fts (rowid, text)
      SELECT seq, text FROM messages WHERE seq > old.indexed_seq AND seq <= new.indexed_seq; END`,
  `CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
    WHEN old.seq <= (SELECT indexed_seq FROM search_index_state WHERE id = 1) BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.seq, old.text); END`,
  `CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages
    WHEN old.seq <= (SELECT indexed_seq FROM search_index_state WHERE id = 1) BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.seq, old.text);
    INSERT INTO messages_fts (rowid, text) VALUES (new.seq, new.text); END`,
];

export const migration0002DeferredSearchIndex: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await sql.raw(statement).execute(db);
  },
};
