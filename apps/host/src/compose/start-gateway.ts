import { randomUUID } from 'node:crypto';
import type { Gateway, PluginEntry } from '@ngb/core';
import type { ChannelAdapter, LlmProvider, SandboxRuntime } from '@ngb/plugin-sdk';
import { channelStreaming } from '../channels/channel-streaming';
import type { NgbConfig } from '../config/config-schema';
import { endTurnsOfDeadConversations } from '../conversation/conversation-owner';
import { recordGatewayEvents } from '../logs/event-log';
import { cliChannelName } from './cli-channel';
import { createModelPrices } from './model-prices';
import type { OpenProject } from './open-project';

/** What a command hands to {@link startGateway}. */
export interface GatewayParts {
  project: OpenProject;
  runtime: SandboxRuntime;
  providers: Record<string, LlmProvider>;
  channels: ChannelAdapter[];
  /**
   * Which sessions this process runs besides those it receives messages for: `all` (`ngb serve`:
   * every session whose lease is free or expired, except terminal conversations, and the scheduled
   * tasks) or `none` (a terminal conversation: its own session only).
   */
  takeOver: 'all' | 'none';
  /** Sessions this process runs itself: a dead terminal conversation's turns in them are not ended. */
  ownSessions?: ReadonlySet<string>;
  /** Retry failed turns on the gateway's schedule; terminal conversations fail fast instead. */
  retries: boolean;
  /** Plugins with their config, set up in this order. */
  plugins?: PluginEntry[];
  /** Settings (never secrets) every sandbox gets as environment variables. */
  sandboxEnv?: Record<string, string>;
}

/** A started gateway and how to stop everything it holds. */
export interface RunningGateway {
  gateway: Gateway;
  /** Stops intake, waits up to `graceMs` for running turns, then closes the sandboxes. Idempotent. */
  stop(graceMs: number): Promise<void>;
}

/** The gateway's `budgets` from the config's `budgets` and each agent's `budget`; undefined when none is set. */
export function gatewayBudgets(config: NgbConfig) {
  const agents = Object.fromEntries(
    Object.entries(config.agents).flatMap(([folder, agent]) => (agent.budget ? [[folder, agent.budget]] : [])),
  );
  const { eachUser, eachChat } = config.budgets;
  if (Object.keys(agents).length === 0 && !eachUser && !eachChat) return undefined;
  return { ...config.budgets, agents };
}

/** The gateway's `heartbeats`: each agent's `heartbeat`, by folder. */
export function gatewayHeartbeats(config: NgbConfig) {
  return Object.fromEntries(
    Object.entries(config.agents).flatMap(([folder, agent]) => (agent.heartbeat ? [[folder, agent.heartbeat]] : [])),
  );
}

/** The gateway's `memoryLimit` from `gateway.limits.memory` (in MB, default 512). */
export function gatewayMemoryLimit(config: NgbConfig) {
  const { degradedAboveMb, recoverBelowMb } = config.gateway.limits.memory;
  const mb = 1024 * 1024;
  return {
    degradedAboveBytes: degradedAboveMb * mb,
    ...(recoverBelowMb === undefined ? {} : { recoverBelowBytes: recoverBelowMb * mb }),
  };
}

/** Builds the gateway from the project's parts, records its events in the log, and starts it. */
export async function startGateway(parts: GatewayParts): Promise<RunningGateway> {
  const { project } = parts;
  const { createGateway } = await import('@ngb/core');
  const settings = project.config.gateway;
  const gateway = createGateway({
    store: project.store,
    // Random per process, with the command and pid for people reading the logs.
    holderId: `${project.logBase.command}-${process.pid}-${randomUUID().slice(0, 8)}`,
    leaseMs: settings.leaseSeconds === undefined ? undefined : settings.leaseSeconds * 1000,
    takeOver: parts.takeOver,
    runtime: parts.runtime,
    providers: parts.providers,
    channels: parts.channels,
    streaming: await channelStreaming(project.config),
    plugins: parts.plugins,
    logger: project.logger.child('gateway'),
    price: await createModelPrices(Object.keys(parts.providers), project.config.pricing),
    agentsDirectory: project.paths.agentsDir,
    maxConcurrentTurns: settings.maxConcurrentTurns,
    maxSteps: settings.maxSteps,
    maxTurnTokens: settings.maxTurnTokens,
    toolTimeoutMs: settings.toolTimeoutSeconds === undefined ? undefined : settings.toolTimeoutSeconds * 1000,
    sandboxEnv: parts.sandboxEnv,
    agentFileMaxBytes: settings.agentFileMaxBytes,
    attachmentMaxBytes: settings.attachmentMaxBytes,
    sendFileMaxBytes: settings.sendFileMaxBytes,
    budgets: gatewayBudgets(project.config),
    heartbeats: gatewayHeartbeats(project.config),
    stickyIdleMs: settings.stickyIdleMinutes === undefined ? undefined : settings.stickyIdleMinutes * 60_000,
    memoryLimit: gatewayMemoryLimit(project.config),
    readMemory: () => process.memoryUsage.rss(),
    // Terminal chats end with their command: tasks and approval requests never wait on them.
    ephemeralChannels: [cliChannelName],
    // A terminal conversation fails fast: no turn re-runs, no delivery retries, and a failed model
    // call is sent again twice within seconds (as the providers themselves once did).
    ...(parts.retries ? {} : { retryDelaysMs: [], deliveryRetryDelaysMs: [], modelRetryDelaysMs: [1_000, 2_000] }),
  });
  const stopRecording = recordGatewayEvents(gateway.events, project.sink, project.logBase);
  let stopping: Promise<void> | undefined;
  const stop = (graceMs: number) => {
    stopping ??= (async () => {
      try {
        await gateway.stop({ graceMs });
      } finally {
        await parts.runtime.close().catch((error: unknown) => project.logger.warn('closing the sandboxes failed', { error }));
        stopRecording();
      }
    })();
    return stopping;
  };
  try {
    const own = parts.ownSessions ?? new Set<string>();
    const ended = await endTurnsOfDeadConversations(project.store, project.paths.dataDir, async (id) => own.has(id));
    if (ended > 0)
      project.logger.info('ended turns left running by a terminal conversation whose process died', { count: ended });
    await gateway.start();
  } catch (error) {
    await stop(0).catch(() => undefined);
    throw error;
  }
  return { gateway, stop };
}
