import type {
  Address,
  Agent,
  ChannelAdapter,
  Clock,
  LlmMessage,
  Logger,
  PriceLookup,
  SandboxRuntime,
  Session,
  Store,
  StoredMessage,
  Tool,
  ToolContext,
} from '@ngb/plugin-sdk';
import type { AgentFileReader } from './agent-file-reader';
import { runAgentLoop } from './agent-loop';
import type { TurnBudgets } from './budgets';
import { runWithCompaction } from './compacting-loop';
import { addUsage, type Compactor, estimateTokens } from './compaction';
import { enqueueReply, replyTextOf } from './enqueue-reply';
import type { EventBus } from './events';
import { heartbeatReply } from './heartbeat-reply';
import { heartbeatOf } from './heartbeats';
import type { InboxAttachments } from './inbox-attachments';
import type { createMcpServerReports } from './mcp-server-reports';
import type { PluginHost } from './plugin-host';
import { buildSystemPrompt, formatInbox } from './prompt';
import type { ReplyStreams } from './reply-streams';
import { fallbackRoutes, type ResolveProvider } from './resolve-provider';
import { createSandboxTools } from './sandbox-tools';
import { entriesBeforeCommand } from './session-lane';
import type { SessionQueue } from './session-queue';
import type { SkillCatalog } from './skill-catalog';
import type { TranscriptCache } from './transcript-cache';
import { isActionable, replyAddress, turnHop } from './turn-context';
import { failTurn, originFields, taskIds } from './turn-failure';
import { readOnce } from './turn-reads';
import { sandboxToolsOfTurn } from './turn-sandbox-tools';
import { startTurn, turnSandbox } from './turn-start';
import { startTyping } from './typing-indicator';
import type { RunUnitOfWork } from './unit-of-work';

/** The turn the tools of a turn are built for. */
export interface TurnInfo {
  agent: Agent;
  session: Session;
  turnId: string;
  origin?: Address;
  hop: number;
  /**
   * Waits on a person (an `ask_user` answer) without holding what other sessions need: the session's
   * sandbox goes back to the pool (the next tool call acquires it again) and its concurrency slot to
   * the next waiting session; once `wait` settles the turn takes a slot again, before any waiting
   * session, and returns what `wait` gave.
   */
  waitForPerson?: <T>(wait: Promise<T>) => Promise<T>;
}

/** Host, task and plugin tools of one turn, built per turn because host tools close over the turn. */
type TurnTools = (turn: TurnInfo) => Tool[];

/** What running turns needs. */
export interface TurnRunnerOptions {
  store: Store;
  runUnit: RunUnitOfWork;
  /** Summarises and archives older turns when a prompt nears the model's context window. */
  compactor: Compactor;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  runtime: SandboxRuntime;
  agentFiles: AgentFileReader;
  /** The agents' skills, listed in the system prompt. */
  skills: SkillCatalog;
  /** Saves the attachments of the messages a turn reads in the agent's inbox. */
  inboxAttachments: InboxAttachments;
  /** The sessions' transcripts, read again only where they changed. */
  transcripts: TranscriptCache;
  plugins: Pick<PluginHost, 'systemPrompt' | 'notify'>;
  resolveProvider: ResolveProvider;
  /** The gateway's budgets, when it has any. */
  budgets?: TurnBudgets;
  /** The running channels by name (for typing indicators). */
  channels: ReadonlyMap<string, ChannelAdapter>;
  /** The tools besides the sandbox's, which the turn runner assembles itself (see {@link sandboxToolsOfTurn}). */
  tools: TurnTools;
  /** Streams a turn's reply into platform messages on the channels configured for it. */
  replyStreams: Pick<ReplyStreams, 'open'>;
  /** Tells how the MCP servers of a session's sandbox fare (see `createMcpServerReports`). */
  reportMcpServers: ReturnType<typeof createMcpServerReports>;
  /** The queue running the sessions: a turn waiting on a person steps out of its cap. */
  queue: Pick<SessionQueue, 'park' | 'unpark'>;
  /** Starts delivering a chat's pending outbox rows. */
  kickDelivery: (channel: string, chatId: string) => void;
  /** Whether this process still holds the session's lease (a turn that lost it leaves its row alone). */
  holdsLease: (sessionId: string) => boolean;
  /** Runs the session again after `delayMs`, and not before. */
  retryLater: (sessionId: string, delayMs: number) => void;
  settings: {
    agentsDirectory: string;
    maxSteps: number;
    maxTurnTokens: number;
    retryDelaysMs: readonly number[];
    modelRetryDelaysMs: readonly number[];
    toolTimeoutMs: number;
    typingIntervalMs: number;
    price: PriceLookup;
    ephemeralChannels: readonly string[];
    sandboxEnv: Readonly<Record<string, string>>;
  };
}

/**
 * Runs one turn of a session when it has pending messages or tasks.
 * @returns true when more work arrived for the session meanwhile
 */
export type RunSessionTurn = (sessionId: string, signal: AbortSignal) => Promise<boolean>;

/**
 * Creates the turn runner: tools assembled for the turn, model, tools run, then one unit of work for transcript, replies, inbox
 * cursor and turn status. A failed model call is retried inside the agent loop; a turn is run
 * again on the configured schedule only for other failures (see {@link failTurn}); after the last
 * try the chat gets a short apology.
 */
export function createTurnRunner(options: TurnRunnerOptions): RunSessionTurn {
  return (sessionId, signal) => runSessionTurn(options, sessionId, signal);
}

async function runSessionTurn(context: TurnRunnerOptions, sessionId: string, signal: AbortSignal): Promise<boolean> {
  const { store, bus, clock, settings } = context;
  const session = await store.sessions.get(sessionId);
  const agent = session ? await store.agents.get(session.agentId) : undefined;
  if (!session || !agent) return false;
  const pending = entriesBeforeCommand(await store.inbox.listPending(sessionId));
  if (!pending.some(isActionable)) return false;

  const started = clock.now();
  const { turn, lastModel } = await startTurn(store, session, pending, started);
  const attempt = turn.attempts;
  bus.emit({ type: 'turn.start', turnId: turn.id, sessionId, agentId: agent.id, attempt });

  const seen = new Set(pending.map((entry) => entry.id));
  let commandWaits = false;
  const reads = readOnce(store);
  const origin = await replyAddress(reads, settings, session, pending);
  // A heartbeat's answer is read whole before anything of it goes out: it is never streamed.
  const heartbeat = await heartbeatOf(reads, pending);
  const beat = (state: 'ok' | 'delivered' | 'refused', reason?: string) =>
    bus.emit({ type: 'heartbeat', state, agentId: agent.id, sessionId, turnId: turn.id, ...(reason ? { reason } : {}) });
  const hop = await turnHop(reads, pending);
  const sandbox = turnSandbox(
    {
      runtime: context.runtime,
      bus,
      now: () => clock.now(),
      agentsDirectory: settings.agentsDirectory,
      sandboxEnv: settings.sandboxEnv,
    },
    agent,
    sessionId,
    signal,
  );
  const waitForPerson = async <T>(wait: Promise<T>): Promise<T> => {
    sandbox.release();
    context.queue.park(sessionId);
    try {
      return await wait;
    } finally {
      await context.queue.unpark(sessionId);
    }
  };
  const budgetScopes = context.budgets ? await context.budgets.scopesOf(store, agent, pending) : [];
  const budget = context.budgets ? await context.budgets.check(store, budgetScopes, clock.now()) : {};
  if (context.budgets && budget.spent) {
    const { budgets } = context;
    const spent = budget.spent;
    const error = `budget: the ${spent.kind} budget of ${spent.scope.label} (${spent.limit}) is spent`;
    await context.runUnit(async (unit) => {
      await unit.tx.inbox.markProcessed([...seen], turn.id);
      await unit.tx.turns.update(turn.id, { status: 'failed', endedAt: clock.now(), error });
      // A refused heartbeat sends nothing to the chat: nobody asked for it.
      if (!heartbeat) await budgets.refuse(unit, spent, { turnId: turn.id, sessionId, origin, hop });
    });
    if (heartbeat) beat('refused', error);
    context.logger.warn('turn refused: a budget is spent', { turnId: turn.id, scope: spent.scope.label, period: spent.period });
    const usage = { inputTokens: 0, outputTokens: 0, cacheTokens: 0, costUsd: 0 };
    bus.emit({ type: 'turn.end', turnId: turn.id, sessionId, agentId: agent.id, status: 'failed', durationMs: 0, usage, error });
    return (await store.inbox.listPending(sessionId)).some(isActionable);
  }
  const typing = startTyping(context, origin);
  const stream = heartbeat ? undefined : context.replyStreams.open({ turnId: turn.id, sessionId, origin, hop });
  try {
    let provider = context.resolveProvider(agent);
    let model: string | undefined;
    const cheaper = context.budgets && budget.near ? context.budgets.cheaperModelOf(agent) : undefined;
    if (context.budgets && budget.near && cheaper) {
      const { budgets } = context;
      const near = budget.near;
      provider = context.resolveProvider({ folder: agent.folder, model: { provider: cheaper.provider ?? agent.model.provider } });
      model = cheaper.model;
      await context.runUnit((unit) => budgets.noticeNear(unit, near, agent, cheaper.model));
    }
    const fallbacks = fallbackRoutes(context.resolveProvider, agent);
    const sandboxTools = await sandboxToolsOfTurn({
      runtime: context.runtime,
      sessionId,
      sandbox: sandbox.get,
      startSandbox: (agent.sandbox.mcpServers?.length ?? 0) > 0,
      onMcpServers: (sandboxId, servers) => context.reportMcpServers(sessionId, sandboxId, servers),
      logger: context.logger,
    });
    const turnTools = [
      ...createSandboxTools(sandboxTools, settings.toolTimeoutMs),
      ...context.tools({ agent, session, turnId: turn.id, origin, hop, waitForPerson }),
    ];
    const { skills } = await context.skills.list(agent);
    const base = await buildSystemPrompt(context.agentFiles, agent, turnTools, clock.now(), skills);
    const system = await context.plugins.systemPrompt({ agentId: agent.id, sessionId, turnId: turn.id, system: base });
    // Attachments are fetched when the turn reads their message; a retried turn finds them saved.
    const attachmentLines = (message: StoredMessage) => context.inboxAttachments.describe(agent, sessionId, message, signal);
    const newText = (await formatInbox(reads, pending, agent.timezone, attachmentLines, agent.model.maxPromptMessages)) ?? '';
    const toolContext = (tool: Tool): ToolContext => ({
      agentId: agent.id,
      isMain: agent.isMain,
      sessionId,
      turnId: turn.id,
      origin,
      signal,
      logger: context.logger.child(tool.name),
      sandbox: sandbox.get,
    });
    const runLoop = async (history: LlmMessage[]) =>
      runAgentLoop({
        agent,
        sessionId,
        turnId: turn.id,
        provider,
        system,
        messages: [...history, { role: 'user', content: newText }],
        tools: turnTools,
        limits: { maxSteps: settings.maxSteps, maxTurnTokens: settings.maxTurnTokens },
        signal,
        bus,
        logger: context.logger,
        clock,
        retryDelaysMs: settings.modelRetryDelaysMs,
        toolContext,
        pollFollowUps: async () => {
          // An admin command ends what this turn may take: it and what follows wait for the commit.
          if (commandWaits) return undefined;
          const unseen = (await store.inbox.listPending(sessionId)).filter((entry) => !seen.has(entry.id));
          const fresh = entriesBeforeCommand(unseen);
          commandWaits = fresh.length < unseen.length;
          for (const entry of fresh) seen.add(entry.id);
          return fresh.length > 0
            ? formatInbox(store, fresh, agent.timezone, attachmentLines, agent.model.maxPromptMessages)
            : undefined;
        },
        price: settings.price,
        fallbacks,
        model,
      });
    const { result, compactionUsage } = await runWithCompaction(
      { ...context, transcript: () => context.transcripts.load(store, sessionId) },
      {
        agent,
        sessionId,
        ...(lastModel !== undefined ? { lastModel } : {}),
        provider,
        signal,
        otherTokens: estimateTokens(
          system + newText + JSON.stringify(turnTools.map((tool) => [tool.name, tool.description, tool.inputSchema])),
        ),
        runLoop,
      },
    );
    await stream?.stop();
    const answered = await sentByTurn(store, turn.id);
    const answer = replyTextOf(result.stoppedBy || !answered ? result.finalText.trim() : '', stream);
    const replyText = heartbeat ? heartbeatReply(answer) : answer;
    await context.runUnit(async ({ tx, after }) => {
      await tx.transcript.append(
        sessionId,
        result.added.map((message) => ({ turnId: turn.id, role: message.role, content: message })),
      );
      if (replyText !== '' && origin) {
        await enqueueReply(tx.outbox, {
          key: `${turn.id}:reply`,
          sessionId,
          turnId: turn.id,
          ...originFields(origin),
          text: replyText,
          format: 'markdown',
          hop,
        });
      }
      await tx.inbox.markProcessed([...seen], turn.id);
      for (const taskId of taskIds(pending)) {
        await tx.taskRuns.add({
          taskId,
          startedAt: started,
          endedAt: clock.now(),
          status: 'succeeded',
          result: replyText.slice(0, 2_000),
        });
      }
      await tx.turns.update(turn.id, {
        status: 'succeeded',
        endedAt: clock.now(),
        ...addUsage(result.usage, compactionUsage),
        model: result.usage.model ?? null,
      });
      await tx.sessions.update(sessionId, { lastActivityAt: clock.now() });
      if (context.budgets) await tx.budgetSpend.add(context.budgets.additions(budgetScopes, result.usage, clock.now()));
      if (replyText !== '' && origin) {
        after(() => context.kickDelivery(origin.channel, origin.chatId));
      }
    });
    if (heartbeat) beat(replyText === '' ? 'ok' : 'delivered');
    bus.emit({
      type: 'turn.end',
      turnId: turn.id,
      sessionId,
      agentId: agent.id,
      status: 'succeeded',
      durationMs: clock.now() - started,
      usage: addUsage(result.usage, compactionUsage),
      text: replyText,
    });
    await context.plugins.notify('agent:result', {
      agentId: agent.id,
      sessionId,
      turnId: turn.id,
      status: 'succeeded',
      text: replyText,
    });
  } catch (error) {
    // Stopped mid-reply, the turn resumes on the next start and completes the same messages.
    if (!signal.aborted) await stream?.interrupt();
    if (signal.aborted) {
      // Stopping: the turn runs again at the next start. A lost lease: the new holder runs it
      // already, and its row is no longer this process's to write.
      if (context.holdsLease(sessionId)) await store.turns.update(turn.id, { status: 'queued', attempts: attempt - 1 });
      return false;
    }
    await failTurn(context, { turn, attempt, agent, sessionId, seen, pending, origin, error, started });
    return false;
  } finally {
    typing.stop();
    await stream?.stop();
    sandbox.release();
  }
  return (await store.inbox.listPending(sessionId)).some(isActionable);
}

async function sentByTurn(store: Store, turnId: string): Promise<boolean> {
  return (await store.turns.get(turnId))?.sentMessage === true;
}
