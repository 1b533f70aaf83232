import { type Agent, errorMessage, type Store, type StoreRepositories, type Turn, type TurnPatch } from '@ngb/plugin-sdk';
import { parseCommand } from './commands';
import type { Compactor } from './compaction';
import type { EnqueueText } from './outbound';
import type { ResolveProvider } from './resolve-provider';
import type { RunSessionCommand } from './session-lane';
import type { RunUnitOfWork } from './unit-of-work';

/** What the admin commands queued to a session need. */
export interface SessionCommandsOptions {
  store: Store;
  runUnit: RunUnitOfWork;
  clock: { now(): number };
  resolveProvider: ResolveProvider;
  enqueueText: EnqueueText;
  /** `/compact` runs the compaction that long prompts run by themselves, summarising everything. */
  compactor: Compactor;
}

/** What one command did: the answer, and the usage of its model call. */
interface CommandOutcome {
  text: string;
  status: 'succeeded' | 'failed';
  usage?: Pick<TurnPatch, 'inputTokens' | 'outputTokens' | 'cacheTokens' | 'costUsd' | 'model'>;
  error?: string;
  /** Writes the command's change in the commit that consumes its inbox row. */
  apply?: (store: StoreRepositories) => Promise<void>;
  /** Runs once the commit is done. */
  afterCommit?: () => void;
}

/**
 * Creates the runner of `/clear`, `/compact` and `/cost` in a session's lane. Admin rights were
 * checked when the command was routed. Each run is a turn row (trigger `command`, with the usage
 * of `/compact`'s model call); its answer, the transcript change, the inbox row and the turn row
 * commit together. An aborted run (the gateway stopping, the lease lost) changes nothing and
 * leaves the command pending, to run again.
 */
export function createSessionCommands(options: SessionCommandsOptions): RunSessionCommand {
  const { store, clock } = options;
  return async (entry, signal) => {
    const message = entry.messageId ? await store.messages.get(entry.messageId) : undefined;
    const session = await store.sessions.get(entry.sessionId);
    const agent = session ? await store.agents.get(session.agentId) : undefined;
    const chat = message ? await store.chats.get(message.chatId) : undefined;
    const command = message ? parseCommand(message.text) : undefined;
    const started = clock.now();
    const turn = await store.turns.create({ sessionId: entry.sessionId, trigger: 'command' });
    await store.turns.update(turn.id, { status: 'running', attempts: 1, startedAt: started });

    let outcome: CommandOutcome;
    if (!message || !session || !agent || !command) {
      outcome = { text: '', status: 'failed', error: 'the command, its message or its session is gone' };
    } else if (command.name === 'clear') {
      outcome = { text: '', status: 'succeeded' };
      outcome.apply = async (repositories) => {
        const removed = await repositories.transcript.clear(session.id);
        // A cleared conversation starts over: its threads need a mention again.
        await repositories.stickyThreads.clearForSession(session.id);
        outcome.text = `${agent.name}: cleared ${removed} transcript entries.`;
      };
    } else if (command.name === 'cost') {
      const turns = await store.turns.listForSession(session.id, { limit: 10_000 });
      outcome = { text: `${agent.name}: ${describeCost(turns)}`, status: 'succeeded' };
    } else {
      try {
        outcome = await compact(options, session.id, agent, signal);
      } catch (error) {
        if (signal.aborted) {
          await store.turns.update(turn.id, { status: 'failed', endedAt: clock.now(), error: `aborted: ${errorMessage(error)}` });
          return;
        }
        outcome = {
          text: `${agent.name}: could not compact: ${errorMessage(error)}`,
          status: 'failed',
          error: errorMessage(error),
        };
      }
    }
    if (signal.aborted) {
      await store.turns.update(turn.id, { status: 'failed', endedAt: clock.now(), error: 'aborted before its commit' });
      return;
    }
    await options.runUnit(async (unit) => {
      await outcome.apply?.(unit.tx);
      if (outcome.afterCommit) unit.after(outcome.afterCommit);
      await unit.tx.inbox.markProcessed([entry.id], turn.id);
      await unit.tx.turns.update(turn.id, {
        status: outcome.status,
        endedAt: clock.now(),
        error: outcome.error ?? null,
        ...outcome.usage,
      });
      if (outcome.text !== '' && message && chat) {
        const address = { channel: chat.channel, chatId: chat.platformChatId, threadId: message.threadId };
        await options.enqueueText(unit, address, outcome.text, `command:${message.id}:${entry.sessionId}`, {
          sessionId: entry.sessionId,
          turnId: turn.id,
          replyTo: message.platformMessageId,
        });
      }
    });
  };
}

/**
 * Tokens and cost of a session's turns (commands that called no model are not counted); a cost no
 * price covers is said to be unknown, never $0.
 */
function describeCost(all: readonly Turn[]): string {
  const turns = all.filter((turn) => turn.trigger !== 'command' || turn.inputTokens + turn.outputTokens > 0);
  const input = turns.reduce((sum, turn) => sum + turn.inputTokens, 0);
  const output = turns.reduce((sum, turn) => sum + turn.outputTokens, 0);
  const known = turns.reduce((sum, turn) => sum + (turn.costUsd ?? 0), 0);
  const unpriced = turns.filter((turn) => turn.costUsd === null);
  const tokens = `${turns.length} turns, ${input} input + ${output} output tokens`;
  if (unpriced.length === 0) return `${tokens}, $${known.toFixed(4)}.`;
  const models = [...new Set(unpriced.map((turn) => turn.model ?? 'an unnamed model'))].join(', ');
  const rest = unpriced.length < turns.length ? `; $${known.toFixed(4)} for the other turns` : '';
  return `${tokens}, cost unknown for ${unpriced.length} of them (no price for ${models})${rest}.`;
}

/** Summarises and archives the whole live transcript (the same path as automatic compaction). */
async function compact(
  { resolveProvider, compactor }: Pick<SessionCommandsOptions, 'resolveProvider' | 'compactor'>,
  sessionId: string,
  agent: Agent,
  signal: AbortSignal,
): Promise<CommandOutcome> {
  const compaction = await compactor.prepare({
    agent,
    sessionId,
    provider: resolveProvider(agent),
    signal,
    otherTokens: 0,
    mode: 'hard',
  });
  if (!compaction) return { text: `${agent.name}: nothing to compact.`, status: 'succeeded' };
  return {
    text: `${agent.name}: compacted ${compaction.archived} entries into a summary (about ${compaction.tokensBefore} → ${compaction.tokensAfter} tokens); the full text is archived.`,
    status: 'succeeded',
    usage: { ...compaction.usage, model: compaction.usage.model ?? null },
    apply: (repositories) => compaction.apply(repositories.transcript),
    afterCommit: () => compaction.announce(),
  };
}
