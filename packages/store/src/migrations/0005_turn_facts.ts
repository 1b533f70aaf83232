import { type Kysely, type Migration, sql } from 'kysely';

// Facts the core relies on are columns written in the transaction that makes them true, not
// key-value rows written after it: the hop count of a message between agents (and of the reply that
// answers it), whether a turn already sent a message to its chat, and the platform ids of the parts
// of a long text already sent, so delivery resumes after them when a process died part-way. The
// key-value rows earlier versions wrote for the first two are carried over, then deleted.
const statements = [
  "ALTER TABLE outbox ADD COLUMN sent_chunk_ids TEXT NOT NULL DEFAULT '[]'",
  'ALTER TABLE messages ADD COLUMN hop INTEGER NOT NULL DEFAULT 0',
  'ALTER TABLE outbox ADD COLUMN hop INTEGER NOT NULL DEFAULT 0',
  'ALTER TABLE turns ADD COLUMN sent_message INTEGER NOT NULL DEFAULT 0',
  `UPDATE messages SET hop = (SELECT CAST(kv.value AS INTEGER) FROM kv WHERE kv.namespace = 'hops' AND kv.key = messages.id)
    WHERE id IN (SELECT key FROM kv WHERE namespace = 'hops')`,
  `UPDATE outbox SET hop = (SELECT CAST(kv.value AS INTEGER) FROM kv WHERE kv.namespace = 'hops' AND kv.key = outbox.key)
    WHERE key IN (SELECT key FROM kv WHERE namespace = 'hops')`,
  `UPDATE turns SET sent_message = 1 WHERE id IN (SELECT key FROM kv WHERE namespace = 'turn-sent')`,
  "DELETE FROM kv WHERE namespace IN ('hops', 'turn-sent')",
];

/** Durable facts of turns and deliveries as columns. */
export const migration0005TurnFacts: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await sql.raw(statement).execute(db);
  },
};
