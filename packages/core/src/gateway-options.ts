import type {
  Agent,
  ChannelAdapter,
  ChannelState,
  Clock,
  InboundMessage,
  LlmProvider,
  Logger,
  OutboxEntry,
  PriceLookup,
  ReceiveResult,
  SandboxRuntime,
  Store,
} from '@ngb/plugin-sdk';
import { ConfigError, parseOptions } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import { budgetsSchema } from './budget-settings';
import { defaultEventBufferChars, defaultEventBufferSize, type EventBus } from './events';
import { heartbeatsSchema } from './heartbeat-settings';
import type { GatewayOnboarding } from './onboarding';
import type { PluginEntry } from './plugin-host';
import { defaultAgentFileMaxBytes } from './read-agent-file';
import { streamingOptionSchema } from './reply-streams';
import { type GatewayHealth, memoryLimitSchema } from './resource-governor';
import type { SkillListing } from './skill-catalog';

const positive = v.pipe(v.number(), v.integer(), v.minValue(1));
/** The default cap on one file saved from a chat or sent to one: 20 MiB. */
const defaultFileMaxBytes = 20 * 1024 * 1024;
// A timer cannot wait longer than 2^31-1 ms: past it, setTimeout fires at once.
const delay = v.pipe(v.number(), v.minValue(0), v.maxValue(2 ** 31 - 1, 'must be at most 2147483647 ms (about 24.8 days)'));
const positiveDelay = v.pipe(positive, v.maxValue(2 ** 31 - 1, 'must be at most 2147483647 ms (about 24.8 days)'));
/** The schema the settings among {@link GatewayOptions} are parsed with, with their defaults. */
export const gatewayOptionsSchema = v.object({
  /** The folder that holds the agent folders (one per agent: `AGENTS.md`, skills, files). */
  agentsDirectory: v.pipe(v.string(), v.minLength(1, 'pass the directory that holds the agent folders')),
  /** Turns running at once across all sessions; more wait for a slot. */
  maxConcurrentTurns: v.optional(positive, 5),
  /** Model calls in one turn before it stops. */
  maxSteps: v.optional(positive, 30),
  /** Tokens (input and output) one turn may use before it stops. */
  maxTurnTokens: v.optional(positive, 500_000),
  /** Waits before a failed turn is run again (then it is marked failed and the chat is told). */
  retryDelaysMs: v.optional(v.array(delay), [5_000, 10_000, 20_000, 40_000, 80_000]),
  /** Waits before a failed model call is sent again, in place; by default the turn schedule `retryDelaysMs`. */
  modelRetryDelaysMs: v.optional(v.array(delay)),
  /**
   * Waits before a reply the channel refused with a retryable error is sent again. Doubling from 1 s,
   * capped at 5 min: a platform down for a minute (or ten) gets every reply once it is back; the gateway
   * gives up about 13.5 min after the first failure (then a dead letter).
   */
  deliveryRetryDelaysMs: v.optional(
    v.array(delay),
    [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000],
  ),
  /** How long one tool call may run (the sandbox protocol accepts up to a day). */
  toolTimeoutMs: v.optional(v.pipe(positive, v.maxValue(86_400_000, 'must be at most 86400000 ms (a day)')), 120_000),
  /** How long one plugin hook may take before it counts as failed (and is skipped). */
  hookTimeoutMs: v.optional(positiveDelay, 5_000),
  /** How long a plugin's `setup` may take before the plugin counts as failed. */
  pluginSetupTimeoutMs: v.optional(positiveDelay, 30_000),
  /** How many times a message may pass from agent to agent before it is dropped. */
  hopLimit: v.optional(positive, 3),
  /** How often the typing indicator is sent again while a turn runs. */
  typingIntervalMs: v.optional(positiveDelay, 5_000),
  /** Where approval requests for unknown chats and senders go. By default the main agent's direct chat with an owner. */
  approvalsAddress: v.optional(v.object({ channel: v.string(), chatId: v.string(), threadId: v.optional(v.string()) })),
  /** How long an approval code can be used after it was sent. */
  approvalTtlMs: v.optional(positive, 10 * 60_000),
  claimCodeTtlMs: v.optional(positive, 24 * 60 * 60_000),
  linkCodeTtlMs: v.optional(positive, 10 * 60_000),
  maxWrongCodes: v.optional(positive, 5),
  codeLockMs: v.optional(positive, 15 * 60_000),
  /** The most the gateway reads of one file of an agent folder (`AGENTS.md`, `SKILL.md`). */
  agentFileMaxBytes: v.optional(positive, defaultAgentFileMaxBytes),
  attachmentMaxBytes: v.optional(positive, defaultFileMaxBytes),
  sendFileMaxBytes: v.optional(positive, defaultFileMaxBytes),
  /** Channels whose chats live only as long as one process (a terminal): never taken over by another gateway. */
  ephemeralChannels: v.optional(v.array(v.string()), []),
  /** Settings (never secrets) every sandbox of this gateway gets as environment variables. */
  sandboxEnv: v.optional(v.record(v.string(), v.string()), {}),
  /** Events the bus keeps for subscribers that join late (a dashboard tab, `Last-Event-ID`). */
  eventBufferSize: v.optional(positive, defaultEventBufferSize),
  /** The most characters of buffered events kept (their JSON text); the oldest go first, the newest always stays. */
  eventBufferChars: v.optional(positive, defaultEventBufferChars),
  leaseMs: v.optional(v.pipe(positiveDelay, v.minValue(3, 'must be at least 3 ms')), 30_000),
  holderId: v.optional(v.pipe(v.string(), v.minLength(1, 'pass a non-empty holder id'))),
  takeOver: v.optional(v.picklist(['all', 'none']), 'all'),
  streaming: streamingOptionSchema,
  budgets: v.optional(budgetsSchema),
  stickyIdleMs: v.optional(positive, 24 * 60 * 60_000),
  heartbeats: v.optional(heartbeatsSchema, {}),
  memoryLimit: v.optional(memoryLimitSchema),
});

/** Options of {@link createGateway}. */
export interface GatewayOptions extends v.InferInput<typeof gatewayOptionsSchema> {
  store: Store;
  runtime: SandboxRuntime;
  /**
   * Model providers by name; an agent uses the one its `model.provider` names (an unknown name is a
   * ConfigError for that agent's turns, never another vendor), else `default`, else the only one.
   */
  providers: Record<string, LlmProvider>;
  channels?: ChannelAdapter[];
  /** Plugins set up at start, in this order (their hooks run in it). */
  plugins?: PluginEntry[];
  /** How long a plugin's `setup` may take before the plugin counts as failed. @default 30000 */
  pluginSetupTimeoutMs?: number;
  /**
   * Waits before each retry of a reply the platform failed to take (a 5xx, a 429 waits at least its
   * `retry_after`); the chat's later replies wait behind it. After the last, the reply is a failed
   * delivery: kept, reported to the owner, retried by `retryDelivery`.
   * @default doubling from 1 s to 256 s, then 300 s (about 13.5 minutes in all)
   */
  deliveryRetryDelaysMs?: number[];
  logger?: Logger;
  clock?: Clock;
  generateId?: () => string;
  /**
   * The price of each model, by the id the API reported for a call (see `createPriceLookup` and the
   * provider packages' tables). A turn whose calls it cannot price has an unknown cost (`null`).
   * @default every cost unknown
   */
  price?: PriceLookup;
  /**
   * How long a session lease lasts unless renewed (it is renewed every third of it while the
   * session has work here). A process that dies holding leases has its sessions taken over by
   * another gateway on the same store once they expire.
   * @default 30000
   */
  leaseMs?: number;
  /** This process as the store's leases name it. @default a random id */
  holderId?: string;
  /**
   * Which sessions this gateway takes over without being woken for them by its own intake:
   * `all` (every session with pending work once nobody holds it, except the terminal conversations
   * of other processes, those on `ephemeralChannels`; it fires scheduled tasks too) or `none` (a
   * terminal conversation: only what it receives itself; no tasks).
   * @default 'all'
   */
  takeOver?: 'all' | 'none';
  /**
   * Channels whose replies stream into one platform message while the model writes them (a new
   * message before the length limit), by channel name; off for every channel by default. The
   * channel needs the edit capability: one without it is warned about at start and sends replies
   * whole. The outbox still holds exactly one reply per turn, and plugins' `message:sending` applies
   * to the final text, which replaces the streamed text with one last edit.
   * @default {} (firstAfterChars 80, firstAfterMs 1000, editIntervalMs 1500 for a channel listed)
   */
  streaming?: Record<string, { firstAfterChars?: number; firstAfterMs?: number; editIntervalMs?: number }>;
  /**
   * Budgets in US dollars and tokens per agent (by folder), per user and per chat, per day and per
   * month in `timeZone`, priced by `price`. Past `nearShare` an agent with a `cheaperModel` moves to
   * it (the owner is told once); at the end a turn is refused before any model call, with one reply
   * to the chat and one notice to the owner per budget and period. A turn running when a budget is
   * crossed finishes. @default no budgets
   */
  budgets?: v.InferInput<typeof budgetsSchema>;
  /**
   * How long a group thread stays sticky for a `mention-sticky` wiring: a message in it engages the
   * agent without a mention until this long after the agent was last engaged there (or until `/clear`).
   * @default 86400000 (24 hours)
   */
  stickyIdleMs?: number;
  /**
   * Each agent's heartbeat, by agent folder: every `every` (an interval such as `30m`), within
   * `activeHours` if given, the agent gets `prompt` (by default: check on things and answer exactly
   * `HEARTBEAT_OK` when nothing needs the user) in its main chat's session. An answer that is only
   * `HEARTBEAT_OK` is never delivered; anything else goes to the main chat once. The main chat is
   * the one `chat` names (`<channel>:<platform chat id>`), else the agent's first wired direct chat
   * where an owner wrote; with none, a `heartbeat` event `skipped` says so and nothing runs.
   * Heartbeats are tasks of kind `heartbeat`, kept in sync with this option at start.
   * @default {} (no heartbeats)
   */
  heartbeats?: Record<string, v.InferInput<typeof heartbeatsSchema>[string]>;
  /**
   * A resident-memory limit in bytes: above `degradedAboveBytes` the gateway is degraded (no new
   * turn starts; messages are stored and wait, nothing is lost; idle sandboxes are reaped; a
   * `gateway.health` event says why) and below `recoverBelowBytes` (default 90 % of it) it recovers
   * by itself and the waiting turns start. Memory is read with `readMemory` every `checkIntervalMs`
   * (default 5000) on the gateway's clock. Needs `readMemory`.
   * @default no limit
   */
  memoryLimit?: v.InferInput<typeof memoryLimitSchema>;
  /**
   * The process's resident memory now, in bytes, for `memoryLimit` (an app passes
   * `() => process.memoryUsage().rss`; the gateway never reads process state itself).
   */
  readMemory?: () => number;
  /** How long a claim code (see `gateway.onboarding.claimCode()`) can be used. @default 86400000 (24 hours) */
  claimCodeTtlMs?: number;
  /** How long a `/link` code can be used. @default 600000 (10 minutes) */
  linkCodeTtlMs?: number;
  /**
   * Wrong claim or link codes allowed within `codeLockMs`; one more locks that kind of code for
   * `codeLockMs` (logged), so codes cannot be guessed.
   * @default 5
   */
  maxWrongCodes?: number;
  /** How long claim or link codes stay locked after one wrong code too many. @default 900000 (15 minutes) */
  codeLockMs?: number;
  /**
   * The most bytes saved of one file attached to an inbound message (counted while it is written;
   * a larger one is not saved and the prompt says why).
   * @default 20971520 (20 MiB)
   */
  attachmentMaxBytes?: number;
  /** The most bytes of one file the agent sends with `send_file`. @default 20971520 (20 MiB) */
  sendFileMaxBytes?: number;
}

/** A running gateway. */
export interface Gateway {
  /** This process as session leases name it. */
  readonly holderId: string;
  /** Every step, live. */
  readonly events: EventBus;
  /** Claiming the gateway: the code that makes its first owner. */
  readonly onboarding: GatewayOnboarding;
  /** Starts plugins and channels and resumes unfinished work (pending inbox rows, unsent outbox rows). */
  start(): Promise<void>;
  /**
   * Stops intake, lets running turns finish for up to `graceMs`, then aborts them (they resume on
   * the next start) and stops the channels.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
  /**
   * Hands one inbound message to the gateway, as a channel does. Resolves once it is stored and
   * routed (never after a model call), with the stored message's id and the sessions it went to,
   * or the reason it was dropped.
   */
  receive(message: InboundMessage): Promise<ReceiveResult>;
  /**
   * Re-arms the scheduler after tasks were created or changed outside the gateway's own tools (the
   * HTTP API): it reads the soonest due time again.
   */
  tasksChanged(): Promise<void>;
  /**
   * Queues a failed delivery (a dead letter) again: attempts reset, status pending, its chat's
   * delivery started (after the chat's earlier pending replies). Emits `delivery.retried`.
   * @returns the entry as queued again
   * @throws NotFoundError for an unknown id
   * @throws NgbError `outbox_not_failed` when the entry is pending or sent
   */
  retryDelivery(outboxId: string): Promise<OutboxEntry>;
  /** Approves or denies a pending chat or sender request by its code. */
  resolveApproval(code: string, decision: 'approved' | 'denied'): Promise<void>;
  /**
   * Swaps the loaded plugin `name` for a new instance without a restart (hot reload): `load` gives
   * the new plugin and its config; the new instance is set up while the old one serves, then takes
   * its place in one step (hooks, tools and providers), the old one is disposed, the old
   * instance's channels are stopped and the new one's started. Reported as a `plugin.status` event
   * (`reloaded`, or `failed` with the reason).
   * @returns the new instance's name and version
   * @throws what `load` threw, or ConfigError when the new config is invalid, its `setup` fails, or
   *   a channel it registered is named like another; the old instance then keeps running
   */
  replacePlugin(name: string, load: () => Promise<PluginEntry>): Promise<{ name: string; version: string }>;
  /** Resolves when no turn is running or waiting, and no delivery or task firing is in progress. */
  idle(): Promise<void>;
  /** Connection state of each channel. */
  channelStatus(): Record<string, ChannelState>;
  /**
   * Sessions running a turn (holding a slot), waiting for a slot, and parked: running a turn that
   * waits on a person without a slot.
   */
  queueState(): { running: string[]; waiting: string[]; parked: string[] };
  /**
   * The skills an agent's system prompt lists, and the ones skipped with the reason (read as a
   * turn reads them, from the same cache).
   */
  skills(agent: Pick<Agent, 'id' | 'folder'>): Promise<SkillListing>;
  /**
   * Whether new turns start now: `ok`, or `degraded` with the reason (memory above `memoryLimit`;
   * see the `gateway.health` event). Always `ok` without a limit.
   */
  health(): GatewayHealth;
}

/**
 * Checks the options of {@link createGateway} and fills in the defaults.
 * @throws ConfigError naming the option when an option is invalid
 */
export function parseGatewayOptions(options: GatewayOptions) {
  const parsed = parseOptions(gatewayOptionsSchema, options, '[@ngb/core]');
  if (parsed.memoryLimit !== undefined && options.readMemory === undefined) {
    throw new ConfigError('[@ngb/core] option "readMemory": pass how to read resident memory with "memoryLimit"', {
      key: 'readMemory',
    });
  }
  if (Object.keys(options.providers).length === 0) {
    throw new ConfigError('[@ngb/core] option "providers": pass at least one model provider', { key: 'providers' });
  }
  return parsed;
}
