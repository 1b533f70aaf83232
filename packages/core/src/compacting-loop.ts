import { errorMessage, type LlmMessage, type Logger } from '@ngb/plugin-sdk';
import type { AgentLoopResult } from './agent-loop';
import { addUsage, type Compactor, type CompactRequest, isContextOverflow } from './compaction';
import type { TurnUsage } from './events';
import type { RunUnitOfWork } from './unit-of-work';

/** What {@link runWithCompaction} needs. */
export interface CompactingLoopOptions {
  compactor: Compactor;
  runUnit: RunUnitOfWork;
  logger: Logger;
  /** The session's live transcript as model messages, read again after a compaction. */
  history: () => Promise<LlmMessage[]>;
}

/**
 * Runs the agent loop on the session's transcript, compacted first when the prompt would pass the
 * agent's share of the context window; when the model still answers that the prompt is too long,
 * everything is summarised and the loop runs once more. The compactions' usage is the turn's.
 */
export async function runWithCompaction(
  context: CompactingLoopOptions,
  turn: Omit<CompactRequest, 'mode'> & { runLoop: (history: LlmMessage[]) => Promise<AgentLoopResult> },
): Promise<{ result: AgentLoopResult; compactionUsage?: TurnUsage }> {
  let compactionUsage: TurnUsage | undefined;
  const compact = async (mode: CompactRequest['mode']) => {
    const compaction = await context.compactor.prepare({ ...turn, mode });
    if (!compaction) return;
    await context.runUnit(async ({ tx, after }) => {
      await compaction.apply(tx.transcript);
      after(() => compaction.announce());
    });
    compactionUsage = compactionUsage ? addUsage(compactionUsage, compaction.usage) : compaction.usage;
  };
  const history = context.history;
  await compact('auto');
  try {
    return { result: await turn.runLoop(await history()), compactionUsage };
  } catch (error) {
    if (turn.signal.aborted || !isContextOverflow(error)) throw error;
    context.logger.warn('the model says the prompt is too long; compacting everything and trying once more', {
      sessionId: turn.sessionId,
      error: errorMessage(error),
    });
    await compact('hard');
    return { result: await turn.runLoop(await history()), compactionUsage };
  }
}
