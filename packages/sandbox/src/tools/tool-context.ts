import type { MemoryProbe } from '../memory-probe';
import { ToolError } from '../tool-error';
import type { Workspace } from '../workspace-paths';

/** Why a running tool was told to stop. */
type StopReason = 'timeout' | 'cancelled';

/** What every tool gets besides its input. */
export interface ToolContext {
  readonly workspace: Workspace;
  /** Aborted with a {@link StopReason} when the call times out or the host cancels it. */
  readonly signal: AbortSignal;
  /** The call's time limit, for messages. */
  readonly timeoutMs: number;
  /** Live output, when the host asked for it. */
  readonly onProgress: ((stream: 'stdout' | 'stderr', text: string) => void) | undefined;
  /** Cap of each output stream a tool returns. */
  readonly maxOutputBytes: number;
  /** Environment of the processes tools start. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Path of ripgrep, or null to search without it. */
  readonly ripgrepPath: string | null;
  readonly memoryProbe: MemoryProbe | undefined;
}

/** The reason a context's signal was aborted with. */
function stopReason(signal: AbortSignal): StopReason {
  return signal.reason === 'timeout' ? 'timeout' : 'cancelled';
}

/** The error a tool answers with once its signal was aborted. */
export function stoppedError(context: Pick<ToolContext, 'signal' | 'timeoutMs'>, detail = ''): ToolError {
  return stopReason(context.signal) === 'timeout'
    ? new ToolError('timeout', `the call timed out after ${context.timeoutMs} ms${detail}`)
    : new ToolError('cancelled', `the call was cancelled${detail}`);
}
