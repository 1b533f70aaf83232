import { type Kysely, type Migration, sql } from 'kysely';

// Admin commands (`/clear`, `/compact`, `/cost`) wait in the session's inbox like messages and run in
// its turn, in order with them; `/compact`'s model call is recorded as a turn started by `command`.
// The allowed-values triggers of 0004 are replaced for the two columns that gain a value (a migration
// is history: 0004 keeps its frozen lists).
const columns: ReadonlyArray<readonly [table: string, column: string, values: readonly string[]]> = [
  ['session_inbox', 'kind', ['message', 'context', 'task', 'command']],
  ['turns', 'trigger', ['message', 'task', 'manual', 'command']],
];

function replaceTriggers(table: string, column: string, values: readonly string[]): string[] {
  const list = values.map((value) => `'${value}'`).join(', ');
  const raise = `SELECT RAISE(ABORT, '${table}.${column} must be one of ${values.join(', ')}')`;
  return [
    `DROP TRIGGER IF EXISTS ${table}_${column}_allowed_insert`,
    `DROP TRIGGER IF EXISTS ${table}_${column}_allowed_update`,
    `CREATE TRIGGER ${table}_${column}_allowed_insert BEFORE INSERT ON ${table}
      WHEN NEW.${column} NOT IN (${list}) BEGIN ${raise}; END`,
    `CREATE TRIGGER ${table}_${column}_allowed_update BEFORE UPDATE OF ${column} ON ${table}
      WHEN NEW.${column} NOT IN (${list}) BEGIN ${raise}; END`,
  ];
}

/** Lets inbox rows be admin commands and turns be started by one. */
export const migration0008CommandInbox: Migration = {
  async up(db: Kysely<unknown>) {
    for (const [table, column, values] of columns)
      for (const statement of replaceTriggers(table, column, values)) await sql.raw(statement).execute(db);
  },
};
