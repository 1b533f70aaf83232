/** What a budget is kept for: one agent, one user (a platform identity's user id) or one chat. */
export type BudgetScope = 'agent' | 'user' | 'chat';

/** The spend of one scope in one period, as the turns that committed it counted it. */
export interface BudgetSpend {
  scope: BudgetScope;
  /** The agent, user or chat id. */
  scopeId: string;
  /** `day:YYYY-MM-DD` or `month:YYYY-MM`, in the budgets' time zone. */
  period: string;
  /** Input and output tokens of every model call. */
  tokens: number;
  /** US dollars of the calls whose model has a known price. */
  costUsd: number;
  /** Tokens of calls whose model has no known price: counted in `tokens`, not in `costUsd`. */
  unpricedTokens: number;
  /** The owner was told that this budget nears its end (once per period). */
  nearNoticed: boolean;
  /** The chat and the owner were told that this budget is spent (once per period). */
  endNoticed: boolean;
}

/** Spend added by one turn to one scope and period. */
export interface BudgetSpendAddition {
  scope: BudgetScope;
  scopeId: string;
  period: string;
  tokens: number;
  /** `null` when the turn's cost is not known: its tokens count as unpriced. */
  costUsd: number | null;
}

/** Spend per budget scope and period; written in the commit of the turn that spent it. */
export interface BudgetSpendRepository {
  /** Adds each turn's spend to its row (created at zero when missing). */
  add(additions: readonly BudgetSpendAddition[]): Promise<void>;
  /** @returns the row, or undefined when nothing was spent in that scope and period */
  get(scope: BudgetScope, scopeId: string, period: string): Promise<BudgetSpend | undefined>;
  /** @returns every row of the period (`day:...` or `month:...`), or of all periods */
  list(options?: { period?: string }): Promise<BudgetSpend[]>;
  /**
   * Records that the near-end or end notice of a scope and period was sent.
   * @returns true only for the first call per scope, period and kind (send the notice then)
   */
  markNoticed(scope: BudgetScope, scopeId: string, period: string, kind: 'near' | 'end'): Promise<boolean>;
}
