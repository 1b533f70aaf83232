import type { AgentsRepository } from './agents';
import type { ApprovalsRepository, DestinationsRepository, KvRepository } from './approvals';
import type { BudgetSpendRepository } from './budget-spend';
import type { ChatsRepository, WiringsRepository } from './chats';
import type { EgressRequestsRepository } from './egress-requests';
import type { SessionLeasesRepository } from './leases';
import type { InboxRepository, MessagesRepository } from './messages';
import type { OnboardingCodesRepository } from './onboarding-codes';
import type { OutboxRepository } from './outbox';
import type { QuestionsRepository } from './questions';
import type { SessionsRepository } from './sessions';
import type { StickyThreadsRepository } from './sticky-threads';
import type { TaskRunsRepository, TasksRepository } from './tasks';
import type { TranscriptRepository, TurnsRepository } from './turns';
import type { AgentMembersRepository, UsersRepository } from './users';

/*
 * The Store contract: every record the gateway keeps, as small repositories. Rules shared by all:
 * - Every method is async (a PostgreSQL dialect implements the same contract).
 * - Ids are strings from the store's injected `generateId`; times are epoch milliseconds from its `now`.
 * - `get*` of an unknown id resolves to `undefined`; `update`/`remove` of an unknown id rejects with
 *   `NotFoundError(entity, id)`; a reference to an unknown record on insert rejects with `NotFoundError` too.
 * - Lists are in chronological (creation) order unless a method says otherwise; where a `limit` applies
 *   to a chronological list, the MOST RECENT `limit` records are kept, still oldest first.
 * - Optional fields that have no value are `undefined` on returned records. In patches, `null` clears
 *   a clearable field and `undefined` (or a missing key) leaves it unchanged.
 * - A field typed as a union of string literals (engage mode, session mode, policy, role, status, kind,
 *   trigger, schedule type, context mode, target type) accepts only those values, on create and on
 *   update: anything else rejects with `ConfigError` (its `key` the field, its message naming the
 *   allowed values) before anything is written. The sandbox network is `none` or an egress policy,
 *   checked and normalized the same way (`checkEgressNetwork`; `key` `sandbox.network`).
 */
/** Every repository; what a transaction callback receives. */
export interface StoreRepositories {
  readonly agents: AgentsRepository;
  readonly chats: ChatsRepository;
  readonly wirings: WiringsRepository;
  readonly users: UsersRepository;
  readonly agentMembers: AgentMembersRepository;
  readonly sessions: SessionsRepository;
  /** Which gateway process runs each session. */
  readonly leases: SessionLeasesRepository;
  readonly messages: MessagesRepository;
  readonly inbox: InboxRepository;
  readonly turns: TurnsRepository;
  readonly transcript: TranscriptRepository;
  readonly outbox: OutboxRepository;
  readonly tasks: TasksRepository;
  readonly taskRuns: TaskRunsRepository;
  readonly approvals: ApprovalsRepository;
  readonly destinations: DestinationsRepository;
  readonly kv: KvRepository;
  /** Questions turns asked a person and wait on (`ask_user`). */
  readonly questions: QuestionsRepository;
  /** One-time codes that claim the gateway or link identities. */
  readonly onboardingCodes: OnboardingCodesRepository;
  /** Spend per budget scope and period (see the gateway's `budgets`). */
  readonly budgetSpend: BudgetSpendRepository;
  /** Every request through the sandboxes' egress proxies. */
  readonly egressRequests: EgressRequestsRepository;
  /** Group threads a `mention-sticky` wiring engages in without a mention. */
  readonly stickyThreads: StickyThreadsRepository;
}

/** The gateway's persistent state. */
export interface Store extends StoreRepositories {
  /** Contract version this store implements. */
  readonly specificationVersion: 1;
  /**
   * Runs `fn` in one transaction: everything done through `tx` commits together when `fn` resolves,
   * and is rolled back when it rejects (the rejection is passed on). Calls on the store itself are
   * not part of the transaction: implementations may queue or refuse them while it is open, so use
   * only `tx` inside `fn`. Transactions do not nest.
   * @returns what `fn` resolved to
   */
  transaction<T>(fn: (tx: StoreRepositories) => Promise<T>): Promise<T>;
  /** Closes the store (and the database connection if the store opened it). Idempotent. */
  close(): Promise<void>;
}
