import { type Kysely, type Migration, sql } from 'kysely';

// Questions a turn asked a person (`ask_user`) and waits on: stored when asked, so a turn re-run
// after a restart finds its question again by key and resumes with the answer. The outbox carries
// the buttons of the message that asks it.
const statements = [
  `CREATE TABLE questions (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, key TEXT NOT NULL UNIQUE,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    turn_id TEXT NOT NULL REFERENCES turns (id) ON DELETE CASCADE,
    agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    chat_id TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    thread_id TEXT, text TEXT NOT NULL, options TEXT NOT NULL, default_option INTEGER,
    status TEXT NOT NULL, answer INTEGER, answered_by TEXT, expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL, ended_at INTEGER)`,
  `CREATE INDEX questions_pending ON questions (chat_id, seq) WHERE status = 'pending'`,
  `CREATE TRIGGER questions_status_allowed_insert BEFORE INSERT ON questions
    WHEN NEW.status NOT IN ('pending', 'answered', 'expired') BEGIN SELECT RAISE(ABORT, 'questions.status must be one of pending, answered, expired'); END`,
  `CREATE TRIGGER questions_status_allowed_update BEFORE UPDATE OF status ON questions
    WHEN NEW.status NOT IN ('pending', 'answered', 'expired') BEGIN SELECT RAISE(ABORT, 'questions.status must be one of pending, answered, expired'); END`,
  'ALTER TABLE outbox ADD COLUMN choices TEXT',
];

/** Questions turns wait on, and buttons on outbox messages. */
export const migration0013Questions: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await sql.raw(statement).execute(db);
  },
};
