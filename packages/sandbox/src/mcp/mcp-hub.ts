import { ToolError } from '../tool-error';
import type { ListedTool } from '../tool-list';
import { stoppedError, type ToolContext } from '../tools/tool-context';
import { type McpServerConnection, startMcpServerConnection } from './mcp-server-connection';
import type { McpServerLaunch } from './mcp-server-launch';
import { describeMcpTool } from './mcp-tool-definition';
import { mapMcpToolNames } from './mcp-tool-names';
import type { McpToolSource } from './mcp-tool-source';

/** Options of {@link startMcpHub}. */
export interface McpHubOptions {
  servers: readonly McpServerLaunch[];
  /** Where the servers start (the agent folder). */
  workingDirectory: string;
  /** The tools' environment. */
  env: Readonly<Record<string, string | undefined>>;
  /** Longest JSON-RPC message read from a server. @default 8 MiB */
  maxMessageBytes?: number;
  /** The loopback port of the egress forwarder, for remote servers; none when the sandbox has no network. */
  egressForwarderPort?: number;
  log?: (line: string) => void;
}

interface CatalogEntry {
  connection: McpServerConnection;
  /** The name the server gave the tool. */
  serverToolName: string;
  definition: ListedTool;
}

/**
 * Starts every MCP server at once and offers their tools under mapped names. The names are fixed
 * once every server has listed its tools or failed, so they stay the same for the sandbox's life;
 * a server that exits later takes its tools out of the list.
 */
export function startMcpHub(options: McpHubOptions): McpToolSource {
  const log = options.log ?? (() => {});
  const connections = options.servers.map((launch) =>
    startMcpServerConnection({
      launch,
      workingDirectory: options.workingDirectory,
      env: options.env,
      maxMessageBytes: options.maxMessageBytes ?? 8 * 1024 * 1024,
      egressForwarderPort: options.egressForwarderPort,
      log,
    }),
  );
  let catalog: Promise<Map<string, CatalogEntry>> | undefined;
  const catalogOf = () => {
    catalog ??= (async () => {
      await Promise.all(connections.map((connection) => connection.settled));
      const offered = connections.flatMap((connection) => connection.tools().map((tool) => ({ connection, tool })));
      const names = mapMcpToolNames(offered.map(({ connection, tool }) => ({ server: connection.name, tool: tool.name })));
      return new Map(
        offered.map(({ connection, tool }, index) => {
          const name = names[index] as string;
          return [name, { connection, serverToolName: tool.name, definition: describeMcpTool(connection.name, name, tool) }];
        }),
      );
    })();
    return catalog;
  };

  return {
    async list() {
      const entries = await catalogOf();
      return {
        tools: [...entries.values()]
          .filter((entry) => entry.connection.status().state === 'ready')
          .map((entry) => entry.definition),
        servers: connections.map((connection) => connection.status()),
      };
    },
    async call(tool, input, context) {
      const entries = await untilAborted(catalogOf(), context);
      const entry = entries.get(tool);
      if (!entry) {
        throw new ToolError(
          'unknown_tool',
          `unknown tool "${tool}"; the MCP servers offer: ${[...entries.keys()].join(', ') || 'none'}`,
        );
      }
      return entry.connection.call(entry.serverToolName, input, context);
    },
    async close() {
      await Promise.allSettled(connections.map((connection) => connection.close()));
    },
  };
}

/** Waits for `promise` unless the call is stopped first (a call may arrive while servers still start). */
function untilAborted<T>(promise: Promise<T>, context: ToolContext): Promise<T> {
  if (context.signal.aborted) return Promise.reject(stoppedError(context));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(stoppedError(context));
    context.signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => context.signal.removeEventListener('abort', onAbort));
  });
}
