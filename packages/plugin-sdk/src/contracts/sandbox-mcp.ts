import type { Sandbox } from './sandbox';

/**
 * A stdio MCP server that the sandbox program starts inside the sandbox. Its tools join the
 * sandbox's tools as `mcp__<name>__<tool>`. It runs like any tool the agent runs: as the sandbox
 * user, in the agent folder, with the tools' environment, and out of reach of the sandbox program's
 * own stdio. Remote MCP servers (a `url`, streamable HTTP) need the egress proxy and are refused
 * with `NotSupportedError` until a runtime offers it.
 */
export interface SandboxMcpServer {
  /**
   * Unique among the spec's servers; `^[a-z0-9][a-z0-9_-]{0,31}$`. Part of its tools' names
   * (`mcp__<name>__<tool>`) and of every report about it.
   */
  readonly name: string;
  /**
   * The program to start inside the sandbox, such as `node` or `/workspace/agent/tools/server.js`:
   * a name is looked up on the sandbox's `PATH`, a relative path starts in the agent folder.
   */
  readonly command: string;
  /** Its arguments; refused when one looks like a credential. @default [] */
  readonly args?: readonly string[];
  /**
   * Settings added to the tools' environment for this server only. Checked by the same rule as
   * {@link SandboxSpec.env}: a secret-looking name or value is refused with `invalid_input`.
   * @default {}
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * How long it may take to start, answer `initialize` and list its tools; past it the server is
   * stopped and reported as failed. @default 30000
   */
  readonly startTimeoutMs?: number;
}

/** What became of one MCP server of a running sandbox. */
export interface SandboxMcpServerStatus {
  /** {@link SandboxMcpServer.name}. */
  readonly name: string;
  /**
   * `ready`: its tools are offered. `failed`: it could not be started, did not answer, or did not
   * list its tools within its start time limit; it offers no tool. `exited`: it ended after it was
   * ready; its tools are gone until the sandbox is replaced.
   */
  readonly state: 'ready' | 'failed' | 'exited';
  /** How many tools it offers now (0 unless `ready`). */
  readonly tools: number;
  /**
   * Why it failed or exited, or what was left out of a ready server's list (tools past the cap);
   * written for people, with the end of its stderr. Absent when there is nothing to say.
   */
  readonly problem?: string;
}

/** A sandbox that reports on the MCP servers its spec named. */
export interface McpServersCapability {
  /**
   * The MCP servers of the running sandbox program, in the spec's order, once each has started and
   * listed its tools or failed (this waits as long as {@link Sandbox.listTools} does). Empty when
   * the spec named none. Starts the sandbox's program when none runs.
   * @throws SandboxError like {@link Sandbox.listTools}
   */
  mcpServers(): Promise<SandboxMcpServerStatus[]>;
}

/** True when the sandbox reports on its MCP servers ({@link McpServersCapability}). */
export function reportsMcpServers(sandbox: Sandbox): sandbox is Sandbox & McpServersCapability {
  return typeof (sandbox as Partial<McpServersCapability>).mcpServers === 'function';
}
