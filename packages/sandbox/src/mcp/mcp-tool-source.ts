import { ToolError } from '../tool-error';
import type { ToolList } from '../tool-list';
import type { ToolContext } from '../tools/tool-context';

/**
 * The tools a sandbox offers besides its built-ins: those of its MCP servers. The program loads
 * the code behind it only when it was given servers, so a sandbox without any starts as fast as before.
 */
export interface McpToolSource {
  /** The tools of the servers that are ready, and every server's state, once each has started or failed. */
  list(): Promise<ToolList>;
  /**
   * Runs one tool by the name {@link list} gave it.
   * @returns the tool's content as text, capped at `context.maxOutputBytes`
   * @throws ToolError `unknown_tool`, or `tool_failed` (the tool answered `isError`, the server
   *   refused the call or exited during it)
   */
  call(tool: string, input: Record<string, unknown>, context: ToolContext): Promise<string>;
  /** Stops every server. */
  close(): Promise<void>;
}

/** A source whose servers all failed for one reason (the MCP client could not be loaded). */
export function failedMcpToolSource(serverNames: readonly string[], problem: string): McpToolSource {
  return {
    list: async () => ({
      tools: [],
      servers: serverNames.map((name) => ({ name, state: 'failed' as const, tools: 0, problem: problem.slice(0, 2_000) })),
    }),
    call: async (tool) => {
      throw new ToolError('unknown_tool', `unknown tool "${tool}": ${problem}`);
    },
    close: async () => {},
  };
}
