import type { BudgetScope, BudgetSpend, BudgetSpendRepository } from '@ngb/plugin-sdk';
import { sql } from 'kysely';
import type { RepositoryContext } from '../repository-context';

interface BudgetSpendRow {
  scope: string;
  scope_id: string;
  period: string;
  tokens: number;
  cost_usd: number;
  unpriced_tokens: number;
  near_noticed: number;
  end_noticed: number;
}

function toBudgetSpend(row: BudgetSpendRow): BudgetSpend {
  return {
    scope: row.scope as BudgetScope,
    scopeId: row.scope_id,
    period: row.period,
    tokens: row.tokens,
    costUsd: row.cost_usd,
    unpricedTokens: row.unpriced_tokens,
    nearNoticed: row.near_noticed === 1,
    endNoticed: row.end_noticed === 1,
  };
}

const columns = ['scope', 'scope_id', 'period', 'tokens', 'cost_usd', 'unpriced_tokens', 'near_noticed', 'end_noticed'] as const;

export function createBudgetSpendRepository(context: RepositoryContext): BudgetSpendRepository {
  const { db } = context;
  return {
    async add(additions) {
      for (const addition of additions) {
        const cost = addition.costUsd ?? 0;
        const unpriced = addition.costUsd === null ? addition.tokens : 0;
        await db()
          .insertInto('budget_spend')
          .values({
            scope: addition.scope,
            scope_id: addition.scopeId,
            period: addition.period,
            tokens: addition.tokens,
            cost_usd: cost,
            unpriced_tokens: unpriced,
            updated_at: context.now(),
          })
          .onConflict((conflict) =>
            conflict.columns(['scope', 'scope_id', 'period']).doUpdateSet({
              tokens: sql`tokens + ${addition.tokens}`,
              cost_usd: sql`cost_usd + ${cost}`,
              unpriced_tokens: sql`unpriced_tokens + ${unpriced}`,
              updated_at: context.now(),
            }),
          )
          .execute();
      }
    },

    async get(scope, scopeId, period) {
      const row = await db()
        .selectFrom('budget_spend')
        .select(columns)
        .where('scope', '=', scope)
        .where('scope_id', '=', scopeId)
        .where('period', '=', period)
        .executeTakeFirst();
      return row === undefined ? undefined : toBudgetSpend(row);
    },

    async list(options = {}) {
      let query = db().selectFrom('budget_spend').select(columns);
      if (options.period !== undefined) query = query.where('period', '=', options.period);
      const rows = await query.orderBy('period').orderBy('scope').orderBy('scope_id').execute();
      return rows.map(toBudgetSpend);
    },

    async markNoticed(scope, scopeId, period, kind) {
      const column = kind === 'near' ? 'near_noticed' : 'end_noticed';
      await db()
        .insertInto('budget_spend')
        .values({ scope, scope_id: scopeId, period, updated_at: context.now() })
        .onConflict((conflict) => conflict.columns(['scope', 'scope_id', 'period']).doNothing())
        .execute();
      const result = await db()
        .updateTable('budget_spend')
        .set({ [column]: 1, updated_at: context.now() })
        .where('scope', '=', scope)
        .where('scope_id', '=', scopeId)
        .where('period', '=', period)
        .where(column, '=', 0)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
  };
}
