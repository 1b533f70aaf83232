import { type Address, type Agent, errorMessage, errorName, type InboxEntry, LlmApiError, type Turn } from '@ngb/plugin-sdk';
import type { TurnRunnerOptions } from './turn-runner';

/** The task ids among a turn's inbox entries. */
export function taskIds(entries: readonly InboxEntry[]): string[] {
  return entries.flatMap((entry) => (entry.kind === 'task' && entry.taskId ? [entry.taskId] : []));
}

/** The outbox fields of an address. */
export function originFields(origin: Address) {
  return { channel: origin.channel, chatId: origin.chatId, threadId: origin.threadId };
}

/**
 * Ends a failed attempt: schedules the next one on the retry schedule, or after the last one
 * marks the turn failed and tells the chat, in one unit of work. A model API error is never
 * re-run here: the agent loop already retried that call on the same schedule (or the error is
 * not retryable), and a re-run would repeat the turn's tool calls and multiply the model calls.
 */
export async function failTurn(
  context: TurnRunnerOptions,
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
  const { bus, clock, settings } = context;
  const { turn, attempt, agent, sessionId } = failure;
  const errorClass = errorName(failure.error);
  const message = `${errorClass}: ${errorMessage(failure.error)}`;
  const usage = { inputTokens: 0, outputTokens: 0, cacheTokens: 0, costUsd: 0 };
  const delay = LlmApiError.isInstance(failure.error) ? undefined : settings.retryDelaysMs[attempt - 1];
  context.logger.warn('turn failed', { turnId: turn.id, attempt, error: message });
  if (delay !== undefined) {
    await context.store.turns.update(turn.id, { status: 'queued', error: message, nextAttemptAt: clock.now() + delay });
    context.retryLater(sessionId, delay);
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
  await context.runUnit(async ({ tx, after }) => {
    await tx.inbox.markProcessed([...failure.seen], turn.id);
    for (const taskId of taskIds(failure.pending)) {
      await tx.taskRuns.add({ taskId, startedAt: failure.started, endedAt: clock.now(), status: 'failed', error: message });
    }
    await tx.turns.update(turn.id, { status: 'failed', error: message, endedAt: clock.now() });
    if (failure.origin) {
      const text = `Sorry, I could not answer that (${errorClass}). Please try again later.`;
      const origin = failure.origin;
      await tx.outbox.enqueue({ key: `${turn.id}:failed`, sessionId, turnId: turn.id, ...originFields(origin), text });
      after(() => context.kickDelivery(origin.channel, origin.chatId));
    }
  });
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
