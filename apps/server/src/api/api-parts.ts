import type { Gateway } from '@ngb/core';
import type { BudgetReportRow } from '@ngb/host';
import type { ChannelAdapter, Clock, SandboxInfo, Store } from '@ngb/plugin-sdk';
import type { LogReader } from './log-file-reader';

/** What the API reads and changes. */
export interface ApiParts {
  gateway: Gateway;
  store: Store;
  /** True when tools run isolated from the host. */
  isolated: boolean;
  /** The gateway's channels (their capabilities). */
  channels: readonly ChannelAdapter[];
  clock: Clock;
  /** The gateway's version, when the app knows it. */
  version?: string;
  /** The runtime's sandboxes; none listed without it. */
  sandboxes?: () => Promise<SandboxInfo[]>;
  /**
   * The loaded config, answered with its secrets redacted; `secretValues` gives strings (such as
   * the tokens read from the environment) that never appear in an answer, wherever they are.
   */
  config?: { value: unknown; secretValues: () => Promise<readonly string[]> };
  /** Budget spend against the config's limits; `/api/budgets` answers 501 without it. */
  budgets?: BudgetsSource;
  /** Recent records of the structured log; `/api/logs` answers 501 without it. */
  logs?: LogReader;
}

/** The budgets of the loaded config and the report of their spend (what `ngb cost` prints). */
export interface BudgetsSource {
  /** The zone whose midnight starts a budget day and month. */
  timeZone: string;
  /** The share of a limit from which a budget is near its end. */
  nearShare: number;
  /** The spend of the day and month holding `now`, per agent, user and chat, with each one's limits. */
  report(now: number): Promise<BudgetReportRow[]>;
}
