import { type Kysely, type Migration, sql } from 'kysely';

// Plain SQLite DDL: the PostgreSQL dialect gets its own migration list (serial keys, tsvector search).
// `seq INTEGER PRIMARY KEY` is the rowid: insertion order for lists, and the FTS5 content rowid.
const statements = [
  `CREATE TABLE agents (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, folder TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
    is_main INTEGER NOT NULL DEFAULT 0, assistant_name TEXT, instructions_file TEXT NOT NULL,
    model TEXT NOT NULL DEFAULT '{}', sandbox TEXT NOT NULL DEFAULT '{}', timezone TEXT NOT NULL,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`,
  'CREATE UNIQUE INDEX agents_one_main ON agents (is_main) WHERE is_main = 1',

  `CREATE TABLE chats (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, channel TEXT NOT NULL, platform_chat_id TEXT NOT NULL,
    name TEXT NOT NULL, is_group INTEGER NOT NULL, unknown_sender_policy TEXT NOT NULL, status TEXT NOT NULL,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, UNIQUE (channel, platform_chat_id))`,

  `CREATE TABLE wirings (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
    chat_id TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    engage TEXT NOT NULL, pattern TEXT, session_mode TEXT NOT NULL, priority INTEGER NOT NULL DEFAULT 0,
    accumulate INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, UNIQUE (chat_id, agent_id))`,
  'CREATE INDEX wirings_agent ON wirings (agent_id)',

  `CREATE TABLE users (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, channel TEXT NOT NULL, platform_user_id TEXT NOT NULL,
    name TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, UNIQUE (channel, platform_user_id))`,

  `CREATE TABLE user_roles (
    seq INTEGER PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE, role TEXT NOT NULL,
    agent_id TEXT REFERENCES agents (id) ON DELETE CASCADE, granted_at INTEGER NOT NULL)`,
  `CREATE UNIQUE INDEX user_roles_key ON user_roles (user_id, role, ifnull(agent_id, ''))`,
  'CREATE INDEX user_roles_role ON user_roles (role)',
  'CREATE INDEX user_roles_agent ON user_roles (agent_id)',

  `CREATE TABLE agent_members (
    seq INTEGER PRIMARY KEY, agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE, added_at INTEGER NOT NULL,
    UNIQUE (agent_id, user_id))`,
  'CREATE INDEX agent_members_user ON agent_members (user_id)',

  `CREATE TABLE sessions (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
    agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    chat_id TEXT REFERENCES chats (id) ON DELETE CASCADE, thread_id TEXT, status TEXT NOT NULL,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, last_activity_at INTEGER NOT NULL)`,
  `CREATE UNIQUE INDEX sessions_active_key ON sessions (agent_id, ifnull(chat_id, ''), ifnull(thread_id, ''))
    WHERE status = 'active'`,
  'CREATE INDEX sessions_agent ON sessions (agent_id)',
  'CREATE INDEX sessions_chat ON sessions (chat_id)',

  `CREATE TABLE messages (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
    chat_id TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE, platform_message_id TEXT NOT NULL,
    thread_id TEXT, sender_id TEXT NOT NULL, sender_name TEXT, text TEXT NOT NULL,
    mentions_bot INTEGER NOT NULL, reply_to_platform_id TEXT, attachments TEXT NOT NULL DEFAULT '[]',
    timestamp INTEGER NOT NULL, direction TEXT NOT NULL, created_at INTEGER NOT NULL,
    UNIQUE (chat_id, platform_message_id))`,
  'CREATE INDEX messages_chat_time ON messages (chat_id, timestamp)',
  `CREATE VIRTUAL TABLE messages_fts USING fts5 (text, content = 'messages', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2')`,
  `CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, text) VALUES (new.seq, new.text); END`,
  `CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.seq, old.text); END`,
  `CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.seq, old.text);
    INSERT INTO messages_fts (rowid, text) VALUES (new.seq, new.text); END`,

  `CREATE TABLE tasks (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
    agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    session_id TEXT REFERENCES sessions (id) ON DELETE SET NULL,
    chat_id TEXT REFERENCES chats (id) ON DELETE SET NULL, prompt TEXT NOT NULL, schedule_type TEXT NOT NULL,
    schedule_value TEXT NOT NULL, timezone TEXT NOT NULL, context_mode TEXT NOT NULL, status TEXT NOT NULL,
    next_run_at INTEGER, last_run_at INTEGER, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`,
  `CREATE INDEX tasks_due ON tasks (next_run_at) WHERE status = 'active' AND next_run_at IS NOT NULL`,
  'CREATE INDEX tasks_agent ON tasks (agent_id)',

  `CREATE TABLE task_runs (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
    task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE, started_at INTEGER NOT NULL,
    ended_at INTEGER, status TEXT NOT NULL, result TEXT, error TEXT)`,
  'CREATE INDEX task_runs_task ON task_runs (task_id)',

  `CREATE TABLE turns (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE, trigger TEXT NOT NULL,
    status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, error TEXT, next_attempt_at INTEGER,
    input_tokens INTEGER NOT NULL DEFAULT 0, output_tokens INTEGER NOT NULL DEFAULT 0,
    cache_tokens INTEGER NOT NULL DEFAULT 0, cost_usd REAL NOT NULL DEFAULT 0, started_at INTEGER,
    ended_at INTEGER, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`,
  'CREATE INDEX turns_session ON turns (session_id)',
  `CREATE INDEX turns_unfinished ON turns (seq) WHERE status IN ('queued', 'running')`,

  `CREATE TABLE session_inbox (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    message_id TEXT REFERENCES messages (id) ON DELETE CASCADE, kind TEXT NOT NULL,
    task_id TEXT REFERENCES tasks (id) ON DELETE SET NULL, created_at INTEGER NOT NULL, processed_at INTEGER,
    turn_id TEXT REFERENCES turns (id) ON DELETE SET NULL, UNIQUE (session_id, message_id))`,
  'CREATE INDEX session_inbox_pending ON session_inbox (session_id, seq) WHERE processed_at IS NULL',
  'CREATE INDEX session_inbox_message ON session_inbox (message_id)',
  'CREATE INDEX session_inbox_task ON session_inbox (task_id)',
  'CREATE INDEX session_inbox_turn ON session_inbox (turn_id)',

  `CREATE TABLE transcript (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    turn_id TEXT REFERENCES turns (id) ON DELETE SET NULL, role TEXT NOT NULL, content TEXT NOT NULL,
    created_at INTEGER NOT NULL)`,
  'CREATE INDEX transcript_session ON transcript (session_id, seq)',
  'CREATE INDEX transcript_turn ON transcript (turn_id)',

  `CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, key TEXT NOT NULL UNIQUE,
    session_id TEXT REFERENCES sessions (id) ON DELETE SET NULL,
    turn_id TEXT REFERENCES turns (id) ON DELETE SET NULL, channel TEXT NOT NULL, chat_id TEXT NOT NULL,
    thread_id TEXT, text TEXT NOT NULL, reply_to_platform_id TEXT, status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, error TEXT, next_attempt_at INTEGER,
    permanent_failure INTEGER NOT NULL DEFAULT 0, platform_message_id TEXT, sent_at INTEGER,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`,
  `CREATE INDEX outbox_pending ON outbox (channel, chat_id, seq) WHERE status = 'pending'`,
  'CREATE INDEX outbox_session ON outbox (session_id)',
  'CREATE INDEX outbox_turn ON outbox (turn_id)',

  `CREATE TABLE approvals (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
    chat_id TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    user_id TEXT REFERENCES users (id) ON DELETE CASCADE,
    message_id TEXT REFERENCES messages (id) ON DELETE SET NULL, code TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL, requested_at INTEGER NOT NULL, resolved_at INTEGER)`,
  `CREATE INDEX approvals_pending ON approvals (chat_id, kind) WHERE status = 'pending'`,
  'CREATE INDEX approvals_user ON approvals (user_id)',
  'CREATE INDEX approvals_message ON approvals (message_id)',

  `CREATE TABLE destinations (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
    agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE, name TEXT NOT NULL,
    target_type TEXT NOT NULL, target_chat_id TEXT REFERENCES chats (id) ON DELETE CASCADE,
    target_agent_id TEXT REFERENCES agents (id) ON DELETE CASCADE, created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL, UNIQUE (agent_id, name))`,
  'CREATE INDEX destinations_target_chat ON destinations (target_chat_id)',
  'CREATE INDEX destinations_target_agent ON destinations (target_agent_id)',

  `CREATE TABLE kv (
    namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, updated_at INTEGER NOT NULL,
    PRIMARY KEY (namespace, key))`,
];

/** The first schema: every table of the data model. */
export const migration0001Initial: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await sql.raw(statement).execute(db);
  },
};
