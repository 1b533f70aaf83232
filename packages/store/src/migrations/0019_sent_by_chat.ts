import { type Kysely, type Migration, sql } from 'kysely';

// What the gateway said in a chat is read back by the chat (the web chat shows a visitor's
// conversation again after a restart): a partial index holds the sent rows by chat and time, so that
// reading one chat's latest replies never walks every reply ever sent.
const statements = [`CREATE INDEX outbox_sent ON outbox (channel, chat_id, sent_at DESC, seq DESC) WHERE status = 'sent'`];

/** The sent outbox rows by chat and time. */
export const migration0019SentByChat: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await sql.raw(statement).execute(db);
  },
};
