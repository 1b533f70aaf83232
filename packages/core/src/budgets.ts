import type { Address, Agent, BudgetScope, BudgetSpendAddition, InboxEntry, Logger, StoreRepositories } from '@ngb/plugin-sdk';
import { budgetPeriodsAt } from './budget-periods';
import type { BudgetLimits, BudgetSettings } from './budget-settings';
import type { TurnUsage } from './events';
import { type ChatPlaces, ownerChat } from './home-chat';
import type { EnqueueText } from './outbound';
import type { UnitOfWork } from './unit-of-work';

/** One budget a turn counts against. */
export interface TurnBudgetScope {
  scope: BudgetScope;
  scopeId: string;
  /** How people read it: `agent andy`, `this chat`, `user Ann`. */
  label: string;
  limits: BudgetLimits;
}

/** A budget that is spent or nearly spent. */
export interface BudgetMark {
  scope: TurnBudgetScope;
  period: string;
  kind: 'day' | 'month';
  /** What ran out: `$1.00` or `100000 tokens`. */
  limit: string;
}

/** What the budgets say before a turn's first model call. */
export interface BudgetCheck {
  /** A budget at its end: the turn is refused. */
  spent?: BudgetMark;
  /** A budget past its near-end share: an agent with a cheaper model moves to it. */
  near?: BudgetMark;
}

/** What budgets need of the gateway. */
export interface TurnBudgetsOptions {
  settings: BudgetSettings;
  places: ChatPlaces;
  enqueueText: EnqueueText;
  logger: Logger;
}

/** The budgets of the gateway's turns. */
export type TurnBudgets = ReturnType<typeof createTurnBudgets>;

const describeLimit = (amount: { usd?: number; tokens?: number }, which: 'usd' | 'tokens') =>
  which === 'usd' ? `$${(amount.usd ?? 0).toFixed(2)}` : `${amount.tokens} tokens`;

/**
 * Budgets in money and tokens per agent, per user and per chat, per day and per month. A turn is
 * checked before its first model call; a turn already running when a budget is crossed finishes
 * (its reply is not cut off half-way), and the next one is refused. Spend is added in the turn's own
 * commit; notices are sent once per scope and period (flags in the same rows).
 */
export function createTurnBudgets(options: TurnBudgetsOptions) {
  const { settings } = options;
  const unpricedModelsTold = new Set<string>();
  const spentWhen = (mark: BudgetMark) => (mark.kind === 'day' ? 'tomorrow' : 'next month');
  const periodWord = (mark: BudgetMark) => (mark.kind === 'day' ? 'daily' : 'monthly');

  const ownerAddress = async (store: StoreRepositories): Promise<Address | undefined> => {
    const chat = await ownerChat(store, options.places);
    return chat ? { channel: chat.channel, chatId: chat.platformChatId } : undefined;
  };
  const sameChat = (first: Address | undefined, second: Address | undefined) =>
    first !== undefined && second !== undefined && first.channel === second.channel && first.chatId === second.chatId;

  return {
    /** The scopes a turn counts against: its agent, the sender of its newest message, and that message's chat. */
    async scopesOf(reads: StoreRepositories, agent: Agent, pending: readonly InboxEntry[]): Promise<TurnBudgetScope[]> {
      const scopes: TurnBudgetScope[] = [];
      const own = settings.agents[agent.folder];
      if (own && (own.day || own.month))
        scopes.push({ scope: 'agent', scopeId: agent.id, label: `agent ${agent.folder}`, limits: own });
      const newest = [...pending].reverse().find((entry) => entry.messageId !== undefined);
      const message = newest?.messageId ? await reads.messages.get(newest.messageId) : undefined;
      if (!message) return scopes;
      const chat = await reads.chats.get(message.chatId);
      if (settings.eachChat && chat)
        scopes.push({ scope: 'chat', scopeId: chat.id, label: 'this chat', limits: settings.eachChat });
      if (settings.eachUser && chat) {
        const identity = await reads.users.getByPlatformId(chat.channel, message.senderId);
        if (identity) {
          const userId = identity.linkedUserId ?? identity.id;
          scopes.push({
            scope: 'user',
            scopeId: userId,
            label: `user ${identity.name ?? message.senderId}`,
            limits: settings.eachUser,
          });
        }
      }
      return scopes;
    },

    /** Reads the spend of each scope in the current day and month. */
    async check(reads: StoreRepositories, scopes: readonly TurnBudgetScope[], now: number): Promise<BudgetCheck> {
      const periods = budgetPeriodsAt(now, settings.timeZone);
      const result: BudgetCheck = {};
      for (const scope of scopes) {
        for (const kind of ['day', 'month'] as const) {
          const amount = scope.limits[kind];
          if (!amount) continue;
          const period = periods[kind];
          const spend = await reads.budgetSpend.get(scope.scope, scope.scopeId, period);
          for (const which of ['usd', 'tokens'] as const) {
            const limit = amount[which];
            if (limit === undefined) continue;
            const used = which === 'usd' ? (spend?.costUsd ?? 0) : (spend?.tokens ?? 0);
            const mark = { scope, period, kind, limit: describeLimit(amount, which) };
            if (used >= limit) return { spent: mark };
            if (used >= limit * settings.nearShare) result.near ??= mark;
          }
        }
      }
      return result;
    },

    /**
     * Refuses a turn for a spent budget: the first refusal of a scope and period replies to the
     * chat and tells the owner (in the refusing commit); later ones in the period stay quiet.
     */
    async refuse(unit: UnitOfWork, mark: BudgetMark, turn: { turnId: string; sessionId: string; origin?: Address; hop: number }) {
      const first = await unit.tx.budgetSpend.markNoticed(mark.scope.scope, mark.scope.scopeId, mark.period, 'end');
      if (!first) return;
      const key = `budget:${mark.scope.scope}:${mark.scope.scopeId}:${mark.period}`;
      if (turn.origin) {
        await options.enqueueText(
          unit,
          turn.origin,
          `The ${periodWord(mark)} budget of ${mark.scope.label} (${mark.limit}) is spent, so I cannot answer now. I can answer again ${spentWhen(mark)} (${settings.timeZone}).`,
          `${key}:chat`,
          { sessionId: turn.sessionId, turnId: turn.turnId, hop: turn.hop },
        );
      }
      const owner = await ownerAddress(unit.tx);
      if (owner && !sameChat(owner, turn.origin)) {
        await options.enqueueText(
          unit,
          owner,
          `Budget spent: the ${periodWord(mark)} budget of ${mark.scope.label} (${mark.limit}) is used up; its turns are refused until ${spentWhen(mark)} (${settings.timeZone}). Raise it under \`budgets\` in ngb.config.json.`,
          `${key}:owner`,
        );
      } else if (!owner) {
        options.logger.warn('a budget is spent and no owner chat is known to tell', {
          scope: mark.scope.label,
          period: mark.period,
        });
      }
    },

    /** The cheaper model an agent moves to as a budget nears its end, if it has one. */
    cheaperModelOf(agent: Agent) {
      return settings.agents[agent.folder]?.cheaperModel;
    },

    /** Tells the owner, once per scope and period, that an agent moved to its cheaper model. */
    async noticeNear(unit: UnitOfWork, mark: BudgetMark, agent: Agent, model: string) {
      if (!(await unit.tx.budgetSpend.markNoticed(mark.scope.scope, mark.scope.scopeId, mark.period, 'near'))) return;
      const owner = await ownerAddress(unit.tx);
      const text = `Budget nearly spent: ${Math.round(settings.nearShare * 100)} % of the ${periodWord(mark)} budget of ${mark.scope.label} (${mark.limit}) is used; agent ${agent.folder} answers with ${model} until ${spentWhen(mark)}.`;
      if (owner)
        await options.enqueueText(unit, owner, text, `budget:${mark.scope.scope}:${mark.scope.scopeId}:${mark.period}:near`);
      else options.logger.warn(text);
    },

    /** The spend of a turn's usage, for its commit; an unknown price counts tokens only, and says so once per model. */
    additions(scopes: readonly TurnBudgetScope[], usage: TurnUsage, now: number): BudgetSpendAddition[] {
      const tokens = usage.inputTokens + usage.outputTokens;
      if (tokens === 0 || scopes.length === 0) return [];
      if (usage.costUsd === null) {
        const model = usage.model ?? 'unknown';
        if (!unpricedModelsTold.has(model)) {
          unpricedModelsTold.add(model);
          options.logger.warn(
            'model has no known price: its tokens count against budgets, its cost does not; add it under `pricing`',
            {
              model,
            },
          );
        }
      }
      const periods = budgetPeriodsAt(now, settings.timeZone);
      return scopes.flatMap((scope) =>
        [periods.day, periods.month].map((period) => ({
          scope: scope.scope,
          scopeId: scope.scopeId,
          period,
          tokens,
          costUsd: usage.costUsd,
        })),
      );
    },
  };
}
