import { join } from 'node:path';
import {
  type Address,
  type Agent,
  canType,
  type InboxEntry,
  type Session,
  type Tool,
  type ToolContext,
  type Turn,
} from '@ngb/plugin-sdk';
import { lazySandbox, runAgentLoop } from './agent-loop';
import type { GatewayContext } from './gateway-context';
import { buildSystemPrompt, formatInbox, loadTranscript } from './prompt';

/** Tools of one turn, built per turn because host tools close over the turn. */
export type TurnTools = (turn: { agent: Agent; session: Session; turnId: string; origin?: Address; hop: number }) => Tool[];

import { isActionable, replyAddress, turnHop } from './turn-context';

async function currentTurn(context: GatewayContext, session: Session, entries: readonly InboxEntry[]): Promise<Turn> {
  const unfinished = (await context.store.turns.listForSession(session.id, { limit: 5 })).find(
    (turn) => turn.status === 'queued' || turn.status === 'running',
  );
  if (unfinished) return unfinished;
  const trigger = entries.some((entry) => entry.kind === 'task') ? 'task' : 'message';
  return context.store.turns.create({ sessionId: session.id, trigger });
}

/**
 * Runs one turn of a session when it has pending messages or tasks: model, tools, then one
 * transaction for transcript, replies, inbox cursor and turn status. Failures are retried on the
 * configured schedule; after the last one the chat gets a short apology.
 * @returns true when more work arrived for the session meanwhile
 */
export async function runSessionTurn(
  context: GatewayContext,
  sessionId: string,
  tools: TurnTools,
  signal: AbortSignal,
): Promise<boolean> {
  const { store, bus, clock, settings } = context;
  const session = await store.sessions.get(sessionId);
  const agent = session ? await store.agents.get(session.agentId) : undefined;
  if (!session || !agent) return false;
  const pending = await store.inbox.listPending(sessionId);
  if (!pending.some(isActionable)) return false;

  let turn = await currentTurn(context, session, pending);
  const attempt = turn.attempts + 1;
  const started = clock.now();
  turn = await store.turns.update(turn.id, {
    status: 'running',
    attempts: attempt,
    startedAt: started,
    error: null,
    nextAttemptAt: null,
  });
  bus.emit({ type: 'turn.start', turnId: turn.id, sessionId, agentId: agent.id, attempt });

  const seen = new Set(pending.map((entry) => entry.id));
  const origin = await replyAddress(context, session, pending);
  const hop = await turnHop(context, pending);
  const sandbox = lazySandbox(async () => {
    const acquireStarted = clock.now();
    const acquired = await context.runtime.acquire(
      {
        sessionId,
        agentFolder: join(settings.agentsDirectory, agent.folder),
        agentName: agent.folder,
        isMain: agent.isMain,
        mounts: agent.sandbox.mounts,
        limits: {
          memoryMb: agent.sandbox.memoryMb,
          cpus: agent.sandbox.cpus,
          pids: agent.sandbox.pids,
          diskMb: agent.sandbox.diskMb,
        },
        network: agent.sandbox.network,
        env: settings.sandboxEnv,
      },
      { signal },
    );
    bus.emit({ type: 'sandbox.acquired', sessionId, sandboxId: acquired.id, durationMs: clock.now() - acquireStarted });
    return acquired;
  });
  const typing = startTyping(context, origin);
  try {
    const provider = context.providers.get(agent.model.provider ?? 'default') ?? [...context.providers.values()][0];
    if (!provider) throw new Error(`no model provider "${agent.model.provider ?? 'default'}" is configured`);
    const turnTools = tools({ agent, session, turnId: turn.id, origin, hop });
    const base = await buildSystemPrompt(context.agentFiles, agent, turnTools, clock.now());
    const system = await context.plugins.systemPrompt({ agentId: agent.id, sessionId, turnId: turn.id, system: base });
    const newText = (await formatInbox(store, pending, agent.timezone)) ?? '';
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
    const result = await runAgentLoop({
      agent,
      sessionId,
      turnId: turn.id,
      provider,
      system,
      messages: [...(await loadTranscript(store, sessionId)), { role: 'user', content: newText }],
      tools: turnTools,
      limits: { maxSteps: settings.maxSteps, maxTurnTokens: settings.maxTurnTokens },
      signal,
      bus,
      logger: context.logger,
      now: clock.now,
      toolContext,
      pollFollowUps: async () => {
        const fresh = (await store.inbox.listPending(sessionId)).filter((entry) => !seen.has(entry.id));
        for (const entry of fresh) seen.add(entry.id);
        return fresh.length > 0 ? formatInbox(store, fresh, agent.timezone) : undefined;
      },
      price: settings.price,
    });
    const answered = await sentByTurn(context, turn.id);
    const replyText = result.stoppedBy || !answered ? result.finalText.trim() : '';
    await store.transaction(async (tx) => {
      await tx.transcript.append(
        sessionId,
        result.added.map((message) => ({ turnId: turn.id, role: message.role, content: message })),
      );
      if (replyText !== '' && origin) {
        await tx.outbox.enqueue({
          key: `${turn.id}:reply`,
          sessionId,
          turnId: turn.id,
          ...originFields(origin),
          text: replyText,
          format: 'markdown',
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
        ...result.usage,
        model: result.usage.model ?? null,
      });
      await tx.sessions.update(sessionId, { lastActivityAt: clock.now() });
    });
    if (replyText !== '' && origin) {
      if (hop > 0) await context.store.kv.set('hops', `${turn.id}:reply`, hop);
      context.kickDelivery(origin.channel, origin.chatId);
    }
    bus.emit({
      type: 'turn.end',
      turnId: turn.id,
      sessionId,
      agentId: agent.id,
      status: 'succeeded',
      durationMs: clock.now() - started,
      usage: result.usage,
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
    if (signal.aborted) {
      await store.turns.update(turn.id, { status: 'queued', attempts: attempt - 1 });
      return false;
    }
    await failTurn(context, { turn, attempt, agent, sessionId, seen, pending, origin, error, started });
    return false;
  } finally {
    typing.stop();
    sandbox.release();
  }
  return (await store.inbox.listPending(sessionId)).some(isActionable);
}

function taskIds(entries: readonly InboxEntry[]): string[] {
  return entries.flatMap((entry) => (entry.kind === 'task' && entry.taskId ? [entry.taskId] : []));
}

function originFields(origin: Address) {
  return { channel: origin.channel, chatId: origin.chatId, threadId: origin.threadId };
}

async function sentByTurn(context: GatewayContext, turnId: string): Promise<boolean> {
  return (await context.store.kv.get('turn-sent', turnId)) === true;
}

async function failTurn(
  context: GatewayContext,
  failure: {
    turn: Turn;
    attempt: number;
    agent: Agent;
    sessionId: string;
    seen: Set<string>;
    pending: readonly InboxEntry[];
    origin?: Address;
    error: unknown;
    started: number;
  },
): Promise<void> {
  const { store, bus, clock, settings, queue } = context;
  const { turn, attempt, agent, sessionId } = failure;
  const errorClass = (failure.error as Error)?.name ?? 'Error';
  const message = `${errorClass}: ${(failure.error as Error)?.message ?? String(failure.error)}`;
  const usage = { inputTokens: 0, outputTokens: 0, cacheTokens: 0, costUsd: 0 };
  const delay = settings.retryDelaysMs[attempt - 1];
  context.logger.warn('turn failed', { turnId: turn.id, attempt, error: message });
  if (delay !== undefined) {
    await store.turns.update(turn.id, { status: 'queued', error: message, nextAttemptAt: clock.now() + delay });
    queue.hold(sessionId);
    clock.setTimeout(() => queue.release(sessionId, 'message'), delay);
    bus.emit({
      type: 'turn.end',
      turnId: turn.id,
      sessionId,
      agentId: agent.id,
      status: 'retrying',
      durationMs: clock.now() - failure.started,
      usage,
      error: message,
      retryInMs: delay,
    });
    return;
  }
  await store.transaction(async (tx) => {
    await tx.inbox.markProcessed([...failure.seen], turn.id);
    for (const taskId of taskIds(failure.pending)) {
      await tx.taskRuns.add({ taskId, startedAt: failure.started, endedAt: clock.now(), status: 'failed', error: message });
    }
    await tx.turns.update(turn.id, { status: 'failed', error: message, endedAt: clock.now() });
    if (failure.origin) {
      const text = `Sorry, I could not answer that (${errorClass}). Please try again later.`;
      await tx.outbox.enqueue({ key: `${turn.id}:failed`, sessionId, turnId: turn.id, ...originFields(failure.origin), text });
    }
  });
  if (failure.origin) context.kickDelivery(failure.origin.channel, failure.origin.chatId);
  bus.emit({
    type: 'turn.end',
    turnId: turn.id,
    sessionId,
    agentId: agent.id,
    status: 'failed',
    durationMs: clock.now() - failure.started,
    usage,
    error: message,
  });
  await context.plugins.notify('agent:result', { agentId: agent.id, sessionId, turnId: turn.id, status: 'failed', text: '' });
}

function startTyping(context: GatewayContext, origin: Address | undefined): { stop: () => void } {
  const adapter = origin ? context.channels.get(origin.channel) : undefined;
  if (!origin || !adapter || !canType(adapter)) return { stop: () => undefined };
  let timer: ReturnType<typeof context.clock.setTimeout> | undefined;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    adapter.sendTyping(origin).catch(() => undefined);
    timer = context.clock.setTimeout(tick, context.settings.typingIntervalMs);
  };
  tick();
  return {
    stop: () => {
      stopped = true;
      if (timer !== undefined) context.clock.clearTimeout(timer);
    },
  };
}
