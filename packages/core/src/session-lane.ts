import type { InboxEntry, Store } from '@ngb/plugin-sdk';
import { isActionable } from './turn-context';
import type { RunSessionTurn } from './turn-runner';

/**
 * The entries a turn may take, oldest first: those before the first admin command. The command
 * runs once that turn committed, and what came after it waits for the next turn.
 */
export function entriesBeforeCommand(entries: readonly InboxEntry[]): InboxEntry[] {
  const index = entries.findIndex((entry) => entry.kind === 'command');
  return index < 0 ? [...entries] : entries.slice(0, index);
}

/** Runs one queued admin command of a session (its inbox row is consumed when it ends). */
export type RunSessionCommand = (entry: InboxEntry, signal: AbortSignal) => Promise<void>;

/** What a session's lane needs. */
export interface SessionLaneOptions {
  store: Pick<Store, 'inbox'>;
  runTurn: RunSessionTurn;
  runCommand: RunSessionCommand;
}

/**
 * A session's serial lane: its pending work in arrival order, one step at a time. A step is either
 * a turn over the messages and tasks before the next admin command, or that command; so `/clear`
 * and `/compact` never touch a transcript a running turn is writing.
 */
export function createSessionLane(options: SessionLaneOptions): RunSessionTurn {
  const { store } = options;
  return async (sessionId, signal) => {
    const next = (await store.inbox.listPending(sessionId)).find(isActionable);
    if (next?.kind !== 'command') return options.runTurn(sessionId, signal);
    await options.runCommand(next, signal);
    if (signal.aborted) return false;
    return (await store.inbox.listPending(sessionId)).some(isActionable);
  };
}
