import { join } from 'node:path';
import type {
  Agent,
  InboxEntry,
  Sandbox,
  SandboxRuntime,
  SandboxSpec,
  Session,
  Store,
  StoreRepositories,
  Turn,
} from '@ngb/plugin-sdk';
import { lazySandbox } from './agent-loop';
import type { EventBus } from './events';

/** The session's unfinished turn, else a new one; and the model that answered its latest turn. */
async function currentTurn(
  store: StoreRepositories,
  session: Session,
  entries: readonly InboxEntry[],
): Promise<{ turn: Turn; lastModel?: string }> {
  const recent = await store.turns.listForSession(session.id, { limit: 5 });
  const lastModel = recent.findLast((turn) => turn.model)?.model ?? undefined;
  const unfinished = recent.find((turn) => turn.trigger !== 'command' && (turn.status === 'queued' || turn.status === 'running'));
  if (unfinished) return { turn: unfinished, ...(lastModel !== undefined ? { lastModel } : {}) };
  const trigger = entries.some((entry) => entry.kind === 'task') ? 'task' : 'message';
  return {
    turn: await store.turns.create({ sessionId: session.id, trigger }),
    ...(lastModel !== undefined ? { lastModel } : {}),
  };
}

/**
 * Finds or creates the session's turn and marks it running, in one commit: the attempt is counted
 * before the model is called, so a message that crashes the process cannot loop on paid calls.
 * @returns the running turn, and the model that answered the session's latest turn (if any)
 */
export async function startTurn(
  store: Store,
  session: Session,
  pending: readonly InboxEntry[],
  startedAt: number,
): Promise<{ turn: Turn; lastModel?: string }> {
  return store.transaction(async (tx) => {
    const current = await currentTurn(tx, session, pending);
    const running = await tx.turns.update(current.turn.id, {
      status: 'running',
      attempts: current.turn.attempts + 1,
      startedAt,
      error: null,
      nextAttemptAt: null,
    });
    return { turn: running, ...(current.lastModel !== undefined ? { lastModel: current.lastModel } : {}) };
  });
}

/** The sandbox an agent's session gets: its folder, mounts, limits, network and MCP servers. */
export function sandboxSpecOf(
  agent: Agent,
  where: { sessionId: string; agentsDirectory: string; env?: Readonly<Record<string, string>> },
): SandboxSpec {
  return {
    sessionId: where.sessionId,
    agentFolder: join(where.agentsDirectory, agent.folder),
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
    ...(where.env !== undefined ? { env: where.env } : {}),
    mcpServers: agent.sandbox.mcpServers ?? [],
  };
}

/** The agent's sandbox for one turn, acquired on first use (a turn without a sandbox tool takes none). */
export function turnSandbox(
  context: {
    runtime: SandboxRuntime;
    bus: Pick<EventBus, 'emit'>;
    now: () => number;
    agentsDirectory: string;
    sandboxEnv: Readonly<Record<string, string>>;
  },
  agent: Agent,
  sessionId: string,
  signal: AbortSignal,
): { get: () => Promise<Sandbox>; release: () => void } {
  return lazySandbox(async () => {
    const acquireStarted = context.now();
    const acquired = await context.runtime.acquire(
      sandboxSpecOf(agent, { sessionId, agentsDirectory: context.agentsDirectory, env: context.sandboxEnv }),
      { signal },
    );
    context.bus.emit({ type: 'sandbox.acquired', sessionId, sandboxId: acquired.id, durationMs: context.now() - acquireStarted });
    return acquired;
  });
}
