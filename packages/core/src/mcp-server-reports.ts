import type { SandboxMcpServerStatus } from '@ngb/plugin-sdk';
import type { EventBus } from './events';

/** How many sandboxes' reports are remembered, so that each state is told once per sandbox. */
const sandboxesRemembered = 1_000;

/**
 * Turns the MCP server states a turn reads from its sandbox into `sandbox.mcp` events: one per
 * sandbox, server and state, so a server that failed is told once, not at every turn.
 * @returns the function a turn calls with what its sandbox reported
 */
export function createMcpServerReports(
  bus: EventBus,
): (sessionId: string, sandboxId: string, servers: readonly SandboxMcpServerStatus[]) => void {
  const told = new Map<string, Set<string>>();
  return (sessionId, sandboxId, servers) => {
    let seen = told.get(sandboxId);
    if (!seen) {
      seen = new Set();
      told.set(sandboxId, seen);
      if (told.size > sandboxesRemembered) told.delete(told.keys().next().value as string);
    }
    for (const server of servers) {
      const key = `${server.name}\u0000${server.state}`;
      if (seen.has(key)) continue;
      seen.add(key);
      bus.emit({
        type: 'sandbox.mcp',
        sessionId,
        sandboxId,
        server: server.name,
        state: server.state,
        tools: server.tools,
        ...(server.problem === undefined ? {} : { problem: server.problem }),
      });
    }
  };
}
