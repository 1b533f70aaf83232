import type { Address, PriceLookup } from '@ngb/plugin-sdk';
import type { BudgetSettings } from './budget-settings';
import type { HeartbeatSettings } from './heartbeat-settings';
import type { MemoryLimit } from './resource-governor';

/** Settings of the gateway after defaults were applied. */
export interface GatewaySettings {
  agentsDirectory: string;
  maxConcurrentTurns: number;
  maxSteps: number;
  maxTurnTokens: number;
  /** Waits before a turn that failed (not by a model API error) is run again. */
  retryDelaysMs: readonly number[];
  /** Waits before a failed model call is sent again, in place (the one retry of model calls). */
  modelRetryDelaysMs: readonly number[];
  deliveryRetryDelaysMs: readonly number[];
  toolTimeoutMs: number;
  hookTimeoutMs: number;
  /** How long a plugin's `setup` may take. */
  pluginSetupTimeoutMs: number;
  hopLimit: number;
  typingIntervalMs: number;
  price: PriceLookup;
  approvalsAddress?: Address;
  /** How long an approval code can be used after it was sent. */
  approvalTtlMs: number;
  /** The most the host reads of one file of an agent folder (AGENTS.md and the like). */
  agentFileMaxBytes: number;
  /** The most bytes saved of one inbound attachment. */
  attachmentMaxBytes: number;
  /** The most bytes of one file sent with `send_file`. */
  sendFileMaxBytes: number;
  /** Channels whose chats live only as long as one process (the CLI's terminal). */
  ephemeralChannels: readonly string[];
  /** Settings (never secrets) every sandbox of this gateway gets as environment variables. */
  sandboxEnv: Readonly<Record<string, string>>;
  /** Events the bus keeps for subscribers that join late. */
  eventBufferSize: number;
  /** The most the events the bus keeps may weigh (characters, plus a share per event). */
  eventBufferChars: number;
  /** Which sessions this gateway takes over (and whether it fires scheduled tasks). */
  takeOver: 'all' | 'none';
  /** How long a group thread stays sticky for a `mention-sticky` wiring after the agent was last engaged in it. */
  stickyIdleMs: number;
  /** Each agent's heartbeat, by agent folder. */
  heartbeats: Readonly<Record<string, HeartbeatSettings>>;
  /** Budgets per agent, user and chat; none when undefined. */
  budgets?: BudgetSettings;
  /** The memory limit past which no new turn starts; none when undefined. */
  memoryLimit?: MemoryLimit;
}

/** The internal channel name of messages between agents. */
export const agentChannel = 'agent';
