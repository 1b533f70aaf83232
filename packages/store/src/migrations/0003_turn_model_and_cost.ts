import { type Kysely, type Migration, sql } from 'kysely';

// A turn records the model that answered, and whether its cost is known: a model with no price makes
// the cost unknown, which must not read as $0. Turns stored before this had no prices to apply, so a
// zero cost with tokens spent was never a real figure: it becomes unknown.
const statements = [
  'ALTER TABLE turns ADD COLUMN model TEXT',
  'ALTER TABLE turns ADD COLUMN cost_unknown INTEGER NOT NULL DEFAULT 0',
  'UPDATE turns SET cost_unknown = 1 WHERE cost_usd = 0 AND (input_tokens > 0 OR output_tokens > 0)',
];

export const migration0003TurnModelAndCost: Migration = {
  async up(db: Kysely<unknown>) {
    for (const statement of statements) await sql.raw(statement).execute(db);
  },
};
