import type { Sandbox } from './sandbox';

/**
 * An MCP server of a sandbox: a stdio server (`command`) that the sandbox program starts inside the
 * sandbox, or a remote server (`url`, streamable HTTP) that it reaches through the host's egress
 * proxy. Either way its tools join the sandbox's tools as `mcp__<name>__<tool>`. A stdio server runs
 * like any tool the agent runs: as the sandbox user, in the agent folder, with the tools' environment,
 * and out of reach of the sandbox program's own stdio. A remote server needs a network policy that
 * allows its host; its `headers` are added by the host's egress proxy and never enter the sandbox.
 */
export interface SandboxMcpServer {
  /**
   * Unique among the spec's servers; `^[a-z0-9][a-z0-9_-]{0,31}$`. Part of its tools' names
   * (`mcp__<name>__<tool>`) and of every report about it.
   */
  readonly name: string;
  /**
   * The program to start inside the sandbox, such as `node` or `/workspace/agent/tools/server.js`:
   * a name is looked up on the sandbox's `PATH`, a relative path starts in the agent folder. Exactly
   * one of `command` and `url`.
   */
  readonly command?: string;
  /**
   * A remote server's streamable HTTP endpoint: `http://` or `https://`, no credentials, no fragment.
   * Its host must be allowed by the spec's `network`; the sandbox reaches it only through the host's
   * egress proxy. Exactly one of `command` and `url`.
   */
  readonly url?: string;
  /**
   * HTTP headers the host's egress proxy adds to every request to the `url`'s origin (scheme, host,
   * port) and to no other; the sandbox never sees them, and a request of the sandbox's that carries
   * one of these names itself is refused. A value may name host settings as `${NAME}`, which the
   * runtime fills in from the values its host gave it (`DockerRuntimeOptions.egress.headerVariables`);
   * a value without `${...}` is refused when it looks like a secret. Only with `url`. @default {}
   */
  readonly headers?: Readonly<Record<string, string>>;
  /** Its arguments (only with `command`); refused when one looks like a credential. @default [] */
  readonly args?: readonly string[];
  /**
   * Settings added to the tools' environment for this server only (only with `command`). Checked by the same rule as
   * {@link SandboxSpec.env}: a secret-looking name or value is refused with `invalid_input`.
   * @default {}
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * How long it may take to start (or, remote, be reached), answer `initialize` and list its tools;
   * past it the server is stopped and reported as failed. @default 30000
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
