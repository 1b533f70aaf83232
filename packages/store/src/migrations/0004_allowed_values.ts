import { type Kysely, type Migration, sql } from 'kysely';

// The repositories refuse values the core does not know; these triggers hold the same line for writes
// that bypass them (a hand-made fix in the sqlite3 shell, an older tool). SQLite cannot add a CHECK
// constraint to an existing table without rebuilding it, and a trigger checks only new writes: rows
// stored before this migration stay readable, whatever they hold. The lists are frozen here on purpose
// (a migration is history); a value added to the contract later comes with a migration that replaces
// the triggers of its column.
const columns: ReadonlyArray<readonly [table: string, column: string, values: readonly string[]]> = [
  ['chats', 'unknown_sender_policy', ['strict', 'request_approval', 'public']],
  ['chats', 'status', ['active', 'pending', 'denied']],
  ['wirings', 'engage', ['always', 'pattern', 'mention']],
  ['wirings', 'session_mode', ['shared', 'per-thread', 'agent-shared']],
  ['user_roles', 'role', ['owner', 'admin']],
  ['sessions', 'status', ['active', 'closed']],
  ['messages', 'direction', ['inbound', 'outbound']],
  ['session_inbox', 'kind', ['message', 'context', 'task']],
  ['turns', 'trigger', ['message', 'task', 'manual']],
  ['turns', 'status', ['queued', 'running', 'succeeded', 'failed']],
  ['transcript', 'role', ['user', 'assistant', 'tool']],
  ['tasks', 'schedule_type', ['cron', 'interval', 'once']],
  ['tasks', 'context_mode', ['group', 'isolated']],
  ['tasks', 'status', ['active', 'paused', 'completed', 'cancelled']],
  ['task_runs', 'status', ['succeeded', 'failed']],
  ['approvals', 'kind', ['chat', 'sender']],
  ['approvals', 'status', ['pending', 'approved', 'denied']],
  ['destinations', 'target_type', ['chat', 'agent']],
  ['outbox', 'status', ['pending', 'sent', 'failed']],
];

function checkTriggers(table: string, column: string, values: readonly string[]): string[] {
  const list = values.map((value) => `'${value}'`).join(', ');
  const raise = `SELECT RAISE(ABORT, '${table}.${column} must be one of ${values.join(', ')}')`;
  return [
    `CREATE TRIGGER ${table}_${column}_allowed_insert BEFORE INSERT ON ${table}
      WHEN NEW.${column} NOT IN (${list}) BEGIN ${raise}; END`,
    `CREATE TRIGGER ${table}_${column}_allowed_update BEFORE UPDATE OF ${column} ON ${table}
      WHEN NEW.${column} NOT IN (${list}) BEGIN ${raise}; END`,
  ];
}

const statements = [
  ...columns.flatMap(([table, column, values]) => checkTriggers(table, column, values)),
  // An owner is global (the core reads every owner role so); an owner role scoped to an agent, which
  // earlier versions stored, becomes what it can safely mean: admin of that agent.
  `INSERT OR IGNORE INTO user_roles (user_id, role, agent_id, granted_at)
    SELECT user_id, 'admin', agent_id, granted_at FROM user_roles WHERE role = 'owner' AND agent_id IS NOT NULL
    ORDER BY seq`,
  `DELETE FROM user_roles WHERE role = 'owner' AND agent_id IS NOT NULL`,
  `CREATE TRIGGER user_roles_owner_global_insert BEFORE INSERT ON user_roles
    WHEN NEW.role = 'owner' AND NEW.agent_id IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'user_roles: an owner role cannot be scoped to an agent'); END`,
  `CREATE TRIGGER user_roles_owner_global_update BEFORE UPDATE OF role, agent_id ON user_roles
    WHEN NEW.role = 'owner' AND NEW.agent_id IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'user_roles: an owner role cannot be scoped to an agent'); END`,
];

/** Guards every enum-like column and keeps owner roles global. */
export const migration0004AllowedValues: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await sql.raw(statement).execute(db);
  },
};
