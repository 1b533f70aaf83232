import type { Logger, Sandbox, SandboxRuntime, SandboxToolDefinition } from '@ngb/plugin-sdk';

/**
 * The sandbox tools of one turn. The runtime's built-in tools are known without a sandbox; when
 * the session's sandbox is already running (warm from an earlier turn) the list it reports itself
 * (`Sandbox.listTools`) is added, which may hold more (the tools of MCP servers inside it). A
 * sandbox that is not running is not started for this: a turn that uses no tool starts none.
 */
export async function sandboxToolsOfTurn(
  runtime: SandboxRuntime,
  sessionId: string,
  sandbox: () => Promise<Sandbox>,
  logger: Logger,
): Promise<readonly SandboxToolDefinition[]> {
  const running = (await runtime.list()).some(
    (info) => info.sessionId === sessionId && info.id !== '' && info.state !== 'starting',
  );
  if (!running) return runtime.tools;
  try {
    const known = new Set(runtime.tools.map((tool) => tool.name));
    const added = (await (await sandbox()).listTools()).filter((tool) => !known.has(tool.name));
    return [...runtime.tools, ...added];
  } catch (error) {
    // The sandbox died meanwhile: the built-in tools still describe what a new one offers, and
    // the first tool call reports why it cannot start.
    logger.warn('could not list the tools of the running sandbox', { sessionId, error });
    return runtime.tools;
  }
}
