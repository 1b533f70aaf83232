import {
  type Logger,
  reportsMcpServers,
  type Sandbox,
  type SandboxMcpServerStatus,
  type SandboxRuntime,
  type SandboxToolDefinition,
} from '@ngb/plugin-sdk';

/** What {@link sandboxToolsOfTurn} needs. */
export interface TurnSandboxToolsInput {
  runtime: SandboxRuntime;
  sessionId: string;
  /** The turn's sandbox, acquired on first use. */
  sandbox: () => Promise<Sandbox>;
  /**
   * The agent has MCP servers: their tools are known only once they run inside a sandbox, so the
   * turn starts one for its tool list rather than offering the built-in tools alone.
   */
  startSandbox: boolean;
  /** Told how the sandbox's MCP servers fare, each time its tools are listed. */
  onMcpServers: (sandboxId: string, servers: readonly SandboxMcpServerStatus[]) => void;
  logger: Logger;
}

/**
 * The sandbox tools of one turn. The runtime's built-in tools are known without a sandbox; when
 * the session's sandbox is already running (warm from an earlier turn), or the agent has MCP
 * servers, the list the sandbox reports itself (`Sandbox.listTools`) is added, which holds the
 * tools of its MCP servers. Otherwise no sandbox is started for this: a turn that uses no tool
 * starts none.
 */
export async function sandboxToolsOfTurn(input: TurnSandboxToolsInput): Promise<readonly SandboxToolDefinition[]> {
  const { runtime, sessionId } = input;
  const running =
    input.startSandbox ||
    (await runtime.list()).some((info) => info.sessionId === sessionId && info.id !== '' && info.state !== 'starting');
  if (!running) return runtime.tools;
  try {
    const sandbox = await input.sandbox();
    const known = new Set(runtime.tools.map((tool) => tool.name));
    const added = (await sandbox.listTools()).filter((tool) => !known.has(tool.name));
    if (reportsMcpServers(sandbox)) input.onMcpServers(sandbox.id, await sandbox.mcpServers());
    return [...runtime.tools, ...added];
  } catch (error) {
    // The sandbox died meanwhile, or cannot start: the built-in tools still describe what a new one
    // offers, and the first tool call reports why it cannot start.
    input.logger.warn('could not list the tools of the sandbox', { sessionId, error });
    return runtime.tools;
  }
}
