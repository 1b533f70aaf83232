import { budgetPeriodsAt } from '@ngb/core';
import { budgetStanding } from '@ngb/host';
import type { Clock } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import { HttpError } from '../http/json-error';
import type { BudgetsSource } from './api-parts';
import { type AnyApiRoute, defineRoute } from './api-route';

const limit = (what: string) => v.nullable(v.pipe(v.number(), v.description(`${what}; null when this period has none.`)));

const budgetRow = v.object({
  scope: v.picklist(['agent', 'user', 'chat']),
  name: v.pipe(v.string(), v.description("The agent's folder, or the chat's or user's `channel:name`.")),
  period: v.picklist(['day', 'month']),
  periodKey: v.pipe(v.string(), v.description('`day:YYYY-MM-DD` or `month:YYYY-MM` in the budgets time zone.')),
  costUsd: v.pipe(v.number(), v.description('US dollars spent this period (models with a known price).')),
  tokens: v.number(),
  unpricedTokens: v.pipe(v.number(), v.description('Tokens of models with no known price: in `tokens`, not in `costUsd`.')),
  limitUsd: limit('The money limit in US dollars'),
  limitTokens: limit('The token limit'),
  share: v.nullable(v.pipe(v.number(), v.description('The larger share of the limits used (1 = spent); null without a limit.'))),
  state: v.pipe(
    v.picklist(['unlimited', 'ok', 'near', 'spent']),
    v.description('`near` from the near-end share on (an agent with a cheaper model moves to it); `spent`: turns are refused.'),
  ),
});

/** `GET /budgets`: the spend of the current day and month per agent, user and chat, against the config's limits. */
export function budgetsRoutes(parts: { budgets: BudgetsSource | undefined; clock: Clock }): AnyApiRoute[] {
  const { budgets, clock } = parts;
  return [
    defineRoute({
      method: 'get',
      path: '/budgets',
      tag: 'usage',
      summary: 'Spend of the current day and month per agent, user and chat, against the configured budgets (as `ngb cost`)',
      description:
        'Lists every scope that spent something this day or month and every agent with a budget. Days and months start at midnight in `timeZone`.',
      response: v.object({
        timeZone: v.string(),
        nearShare: v.pipe(v.number(), v.description('The share of a limit from which a budget is `near` its end.')),
        periods: v.object({ day: v.string(), month: v.string() }),
        budgets: v.array(budgetRow),
      }),
      errors: [501],
      handle: async () => {
        if (budgets === undefined) throw new HttpError(501, 'not_supported', 'this server was started without a config');
        const now = clock.now();
        const rows = await budgets.report(now);
        return {
          timeZone: budgets.timeZone,
          nearShare: budgets.nearShare,
          periods: budgetPeriodsAt(now, budgets.timeZone),
          budgets: rows.map((row) => {
            const { share, state } = budgetStanding(row, budgets.nearShare);
            return {
              scope: row.scope,
              name: row.name,
              period: row.period,
              periodKey: row.periodKey,
              costUsd: row.costUsd,
              tokens: row.tokens,
              unpricedTokens: row.unpricedTokens,
              limitUsd: row.limitUsd ?? null,
              limitTokens: row.limitTokens ?? null,
              share: share ?? null,
              state,
            };
          }),
        };
      },
    }),
  ];
}
