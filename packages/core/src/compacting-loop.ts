import { errorMessage, type LlmMessage, type Logger, type TranscriptEntry } from '@ngb/plugin-sdk';
import type { AgentLoopResult } from './agent-loop';
import { addUsage, type Compactor, type CompactRequest, isContextOverflow } from './compaction';
import type { TurnUsage } from './events';
import type { RunUnitOfWork } from './unit-of-work';

/** What {@link runWithCompaction} needs. */
export interface CompactingLoopOptions {
  compactor: Compactor;
  runUnit: RunUnitOfWork;
  logger: Logger;
  /** The session's live transcript, read once before the loop and again after a compaction. */
  transcript: () => Promise<readonly TranscriptEntry[]>;
}

/** The model messages of transcript entries (other entries are the store's own). */
function messagesOf(entries: readonly TranscriptEntry[]): LlmMessage[] {
  return entries
    .map((entry) => entry.content)
    .filter((content): content is LlmMessage => typeof content === 'object' && content !== null && 'role' in content);
}

/**
 * Runs the agent loop on the session's transcript, compacted first when the prompt would pass the
 * agent's share of the context window; when the model still answers that the prompt is too long,
 * everything is summarised and the loop runs once more. The compactions' usage is the turn's.
 */
export async function runWithCompaction(
  context: CompactingLoopOptions,
  turn: Omit<CompactRequest, 'mode' | 'entries'> & { runLoop: (history: LlmMessage[]) => Promise<AgentLoopResult> },
): Promise<{ result: AgentLoopResult; compactionUsage?: TurnUsage }> {
  let compactionUsage: TurnUsage | undefined;
  let entries = await context.transcript();
  const compact = async (mode: CompactRequest['mode']) => {
    const compaction = await context.compactor.prepare({ ...turn, mode, entries });
    if (!compaction) return;
    await context.runUnit(async ({ tx, after }) => {
      await compaction.apply(tx.transcript);
      after(() => compaction.announce());
    });
    compactionUsage = compactionUsage ? addUsage(compactionUsage, compaction.usage) : compaction.usage;
    entries = await context.transcript();
  };
  await compact('auto');
  try {
    return { result: await turn.runLoop(messagesOf(entries)), compactionUsage };
  } catch (error) {
    if (turn.signal.aborted || !isContextOverflow(error)) throw error;
    context.logger.warn('the model says the prompt is too long; compacting everything and trying once more', {
      sessionId: turn.sessionId,
      error: errorMessage(error),
    });
    await compact('hard');
    return { result: await turn.runLoop(messagesOf(entries)), compactionUsage };
  }
}
