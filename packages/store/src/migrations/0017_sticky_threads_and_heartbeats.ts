import { type Kysely, type Migration, sql } from 'kysely';

// `mention-sticky` wirings: the group threads an agent was engaged in, one row per agent, chat and
// thread, so routing a later message of the thread is one lookup on the primary key. Rows go with
// their session (a session deleted, or cleared by `/clear`, ends the stickiness of its threads).
// Heartbeats: a task of kind `heartbeat` is the system task that prompts an agent periodically; the
// gateway keeps one per configured agent in sync with its config (agents' task tools never see it).
// The engage triggers of 0004 are replaced to accept the new value (0004 keeps its frozen list).
const engageValues = ['always', 'pattern', 'mention', 'mention-sticky'];
const list = engageValues.map((value) => `'${value}'`).join(', ');
const raise = `SELECT RAISE(ABORT, 'wirings.engage must be one of ${engageValues.join(', ')}')`;

const statements = [
  `CREATE TABLE sticky_threads (
    agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    chat_id TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE, thread_id TEXT NOT NULL,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE, engaged_at INTEGER NOT NULL,
    PRIMARY KEY (agent_id, chat_id, thread_id))`,
  'CREATE INDEX sticky_threads_session ON sticky_threads (session_id)',
  `ALTER TABLE tasks ADD COLUMN kind TEXT NOT NULL DEFAULT 'task'`,
  `CREATE TRIGGER tasks_kind_allowed_insert BEFORE INSERT ON tasks
    WHEN NEW.kind NOT IN ('task', 'heartbeat') BEGIN SELECT RAISE(ABORT, 'tasks.kind must be one of task, heartbeat'); END`,
  `CREATE TRIGGER tasks_kind_allowed_update BEFORE UPDATE OF kind ON tasks
    WHEN NEW.kind NOT IN ('task', 'heartbeat') BEGIN SELECT RAISE(ABORT, 'tasks.kind must be one of task, heartbeat'); END`,
  'DROP TRIGGER IF EXISTS wirings_engage_allowed_insert',
  'DROP TRIGGER IF EXISTS wirings_engage_allowed_update',
  `CREATE TRIGGER wirings_engage_allowed_insert BEFORE INSERT ON wirings
    WHEN NEW.engage NOT IN (${list}) BEGIN ${raise}; END`,
  `CREATE TRIGGER wirings_engage_allowed_update BEFORE UPDATE OF engage ON wirings
    WHEN NEW.engage NOT IN (${list}) BEGIN ${raise}; END`,
];

/** Sticky group threads, the `mention-sticky` engage mode, and heartbeat tasks. */
export const migration0017StickyThreadsAndHeartbeats: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await sql.raw(statement).execute(db);
  },
};
