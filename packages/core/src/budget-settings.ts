import * as v from 'valibot';
import { isValidTimeZone } from './format-messages';

const usd = v.pipe(v.number(), v.minValue(0, 'must not be negative'));
const tokens = v.pipe(v.number(), v.integer(), v.minValue(1, 'must be at least 1'));
const amountsSchema = v.object({ usd: v.optional(usd), tokens: v.optional(tokens) });
const limitsSchema = v.object({ day: v.optional(amountsSchema), month: v.optional(amountsSchema) });

/** The `budgets` option of the gateway: limits in money and tokens per day and per month. */
export const budgetsSchema = v.object({
  /** The zone whose midnight starts a day and a month. @default 'UTC' */
  timeZone: v.optional(v.pipe(v.string(), v.check(isValidTimeZone, 'must be an IANA time zone such as Europe/Berlin')), 'UTC'),
  /** The share of a budget past which an agent with a `cheaperModel` moves to it. @default 0.8 */
  nearShare: v.optional(
    v.pipe(v.number(), v.minValue(0.01, 'must be from 0.01 to 1'), v.maxValue(1, 'must be from 0.01 to 1')),
    0.8,
  ),
  /** Each agent's own budget and cheaper model, by agent folder. */
  agents: v.optional(
    v.record(
      v.string(),
      v.object({
        ...limitsSchema.entries,
        cheaperModel: v.optional(v.object({ provider: v.optional(v.string()), model: v.pipe(v.string(), v.minLength(1)) })),
      }),
    ),
    {},
  ),
  /** The budget of every user (the sender of a turn's newest message), each counted on its own. */
  eachUser: v.optional(limitsSchema),
  /** The budget of every chat, each counted on its own. */
  eachChat: v.optional(limitsSchema),
});

/** Limits of one scope: at most this much per day and per month. */
export type BudgetLimits = v.InferOutput<typeof limitsSchema>;
/** The gateway's budgets after defaults. */
export type BudgetSettings = v.InferOutput<typeof budgetsSchema>;
