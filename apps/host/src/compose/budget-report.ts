import { budgetPeriodsAt } from '@ngb/core';
import type { BudgetScope, Store } from '@ngb/plugin-sdk';
import type { NgbConfig } from '../config/config-schema';

/** One budget's spend in the current day or month, against its limits. */
export interface BudgetReportRow {
  scope: BudgetScope;
  /** The agent's folder, the chat's or the user's name. */
  name: string;
  period: 'day' | 'month';
  /** `day:YYYY-MM-DD` or `month:YYYY-MM` in the budgets' time zone. */
  periodKey: string;
  tokens: number;
  costUsd: number;
  /** Tokens of models with no known price: in `tokens`, not in `costUsd`. */
  unpricedTokens: number;
  limitUsd?: number;
  limitTokens?: number;
}

type Limits = { day?: { usd?: number; tokens?: number }; month?: { usd?: number; tokens?: number } } | undefined;

/**
 * The spend of the current day and month, per agent, user and chat, with each one's limits from the
 * config: every scope that spent something, and every agent with a budget even when it spent nothing.
 */
export async function budgetReport(store: Store, config: NgbConfig, now: number): Promise<BudgetReportRow[]> {
  const periods = budgetPeriodsAt(now, config.budgets.timeZone);
  const agents = await store.agents.list();
  const rows: BudgetReportRow[] = [];
  for (const period of ['day', 'month'] as const) {
    const spend = await store.budgetSpend.list({ period: periods[period] });
    const seen = new Set(spend.map((row) => `${row.scope}:${row.scopeId}`));
    const zero = agents
      .filter((agent) => config.agents[agent.folder]?.budget && !seen.has(`agent:${agent.id}`))
      .map((agent) => ({ scope: 'agent' as const, scopeId: agent.id, tokens: 0, costUsd: 0, unpricedTokens: 0 }));
    for (const row of [...spend, ...zero]) {
      let name = row.scopeId;
      let limits: Limits;
      if (row.scope === 'agent') {
        const agent = agents.find((candidate) => candidate.id === row.scopeId);
        name = agent?.folder ?? row.scopeId;
        limits = agent ? config.agents[agent.folder]?.budget : undefined;
      } else if (row.scope === 'chat') {
        const chat = await store.chats.get(row.scopeId);
        name = chat ? `${chat.channel}:${chat.name}` : row.scopeId;
        limits = config.budgets.eachChat;
      } else {
        const user = await store.users.get(row.scopeId);
        name = user ? `${user.channel}:${user.name ?? user.platformUserId}` : row.scopeId;
        limits = config.budgets.eachUser;
      }
      rows.push({
        scope: row.scope,
        name,
        period,
        periodKey: periods[period],
        tokens: row.tokens,
        costUsd: row.costUsd,
        unpricedTokens: row.unpricedTokens,
        limitUsd: limits?.[period]?.usd,
        limitTokens: limits?.[period]?.tokens,
      });
    }
  }
  return rows;
}

/** Where a budget stands: no limit, under its near-end share, past it, or spent (turns refused). */
export type BudgetState = 'unlimited' | 'ok' | 'near' | 'spent';

/**
 * How much of a row's limits is used (the larger share of money and tokens, as the gateway
 * checks them) and what that means: `spent` at 100 %, `near` from `nearShare` on (an agent with a
 * cheaper model moves to it).
 * @returns `share` undefined when the row has no limit
 */
export function budgetStanding(
  row: Pick<BudgetReportRow, 'costUsd' | 'tokens' | 'limitUsd' | 'limitTokens'>,
  nearShare: number,
): { share: number | undefined; state: BudgetState } {
  const shares: number[] = [];
  if (row.limitUsd !== undefined) shares.push(row.limitUsd === 0 ? 1 : row.costUsd / row.limitUsd);
  if (row.limitTokens !== undefined) shares.push(row.tokens / row.limitTokens);
  if (shares.length === 0) return { share: undefined, state: 'unlimited' };
  const share = Math.max(...shares);
  return { share, state: share >= 1 ? 'spent' : share >= nearShare ? 'near' : 'ok' };
}
