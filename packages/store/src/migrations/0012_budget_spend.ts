import { type Kysely, type Migration, sql } from 'kysely';

// Budget spend per scope (agent, user, chat) and period (a day or a month in the budgets' time zone),
// added to in the commit of the turn that spent it, so a crash neither loses nor counts it twice.
// The two notice flags make the near-end and end notices once per period, across restarts.
const statements = [
  `CREATE TABLE budget_spend (
    scope TEXT NOT NULL, scope_id TEXT NOT NULL, period TEXT NOT NULL,
    tokens INTEGER NOT NULL DEFAULT 0, cost_usd REAL NOT NULL DEFAULT 0, unpriced_tokens INTEGER NOT NULL DEFAULT 0,
    near_noticed INTEGER NOT NULL DEFAULT 0, end_noticed INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL,
    PRIMARY KEY (scope, scope_id, period))`,
  'CREATE INDEX budget_spend_period ON budget_spend (period)',
  `CREATE TRIGGER budget_spend_scope_allowed_insert BEFORE INSERT ON budget_spend
    WHEN NEW.scope NOT IN ('agent', 'user', 'chat') BEGIN SELECT RAISE(ABORT, 'budget_spend.scope must be one of agent, user, chat'); END`,
];

/** Spend against budgets, per scope and period. */
export const migration0012BudgetSpend: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await sql.raw(statement).execute(db);
  },
};
