import type { Address, ChannelAdapter, Clock, LlmProvider, Logger, PriceLookup, SandboxRuntime, Store } from '@ngb/plugin-sdk';
import type { AgentFileReader } from './agent-file-reader';
import type { EventBus } from './events';
import type { PluginHost } from './plugin-host';
import type { SessionLeases } from './session-leases';
import type { SessionQueue } from './session-queue';

/** Settings of the gateway after defaults were applied. */
export interface GatewaySettings {
  agentsDirectory: string;
  maxConcurrentTurns: number;
  maxSteps: number;
  maxTurnTokens: number;
  retryDelaysMs: readonly number[];
  deliveryRetryDelaysMs: readonly number[];
  toolTimeoutMs: number;
  hookTimeoutMs: number;
  hopLimit: number;
  typingIntervalMs: number;
  price: PriceLookup;
  approvalsAddress?: Address;
  /** How long an approval code can be used after it was sent. */
  approvalTtlMs: number;
  /** The most the host reads of one file of an agent folder (AGENTS.md and the like). */
  agentFileMaxBytes: number;
  /** Channels whose chats live only as long as one process (the CLI's terminal). */
  ephemeralChannels: readonly string[];
  /** Settings (never secrets) every sandbox of this gateway gets as environment variables. */
  sandboxEnv: Readonly<Record<string, string>>;
  /** Which sessions this gateway takes over (and whether it fires scheduled tasks). */
  takeOver: 'all' | 'none';
}

/** The parts of a running gateway its modules share. */
export interface GatewayContext {
  readonly store: Store;
  readonly runtime: SandboxRuntime;
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly generateId: () => string;
  readonly settings: GatewaySettings;
  readonly channels: Map<string, ChannelAdapter>;
  readonly providers: Map<string, LlmProvider>;
  /** The sessions this process holds: only their replies are delivered from here. */
  readonly leases: Pick<SessionLeases, 'holds'>;
  readonly plugins: PluginHost;
  /** Reads the agent folders' files for prompts, safely. */
  readonly agentFiles: AgentFileReader;
  readonly queue: SessionQueue;
  /** Starts delivering a chat's pending outbox rows. */
  kickDelivery(channel: string, chatId: string): void;
  /** Re-arms the scheduler after a task changed. */
  rescheduleTasks(): Promise<void>;
  /**
   * Runs `effect` once the current transaction committed (at once outside a transaction), handing
   * it the context that works outside the transaction.
   */
  afterCommit(effect: (committed: GatewayContext) => unknown): Promise<void> | void;
}

/** The internal channel name of messages between agents. */
export const agentChannel = 'agent';

/** A short one-time code for approvals, from the injected id generator. */
export function approvalCode(generateId: () => string): string {
  return generateId()
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(-8)
    .toUpperCase();
}
