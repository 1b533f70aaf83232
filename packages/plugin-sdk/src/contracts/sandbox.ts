import type { EgressPolicy } from './egress';
import type { SandboxMcpServer } from './sandbox-mcp';
import type { JsonSchema } from './tool';

/**
 * A tool the sandbox offers, described for the model. The core shows these to the model without
 * importing the sandbox program; the runtime takes them from `@ngb/sandbox`.
 */
export interface SandboxToolDefinition {
  /** Name the model calls it by, such as `bash` or `read_file`. */
  readonly name: string;
  /** What it does and when to use it, for the model. */
  readonly description: string;
  /** JSON Schema of its input. */
  readonly inputSchema: JsonSchema;
}

/** A host directory to mount into the sandbox, checked by the runtime's mount policy. */
export interface SandboxMount {
  /** Absolute path on the host; symlinks are resolved before the policy checks it. */
  hostPath: string;
  /**
   * Relative name under `/workspace/extra/` inside the sandbox: letters, digits, `.`, `_`, `-`
   * and `/`; no `..`, no `:`, no leading `/`. @default the host folder's name
   */
  containerPath?: string;
  /** Mount read-only. Non-main agents always get read-only mounts. @default true */
  readonly?: boolean;
}

/** Resource limits of one sandbox. */
export interface SandboxLimits {
  /** Memory limit in MiB (no swap beyond it). */
  memoryMb: number;
  /** CPU limit; fractions allowed (`0.5` is half a core). */
  cpus: number;
  /** Upper bound of processes and threads alive at once. */
  pids: number;
  /**
   * Size limit of the agent folder in MiB: writing past it fails inside the sandbox with ENOSPC
   * (drivers that cannot enforce it refuse to start, unless told to run without one).
   */
  diskMb: number;
}

/** What a session's sandbox must look like. */
export interface SandboxSpec {
  /** The session the sandbox belongs to; one sandbox per session. */
  sessionId: string;
  /**
   * Absolute host path of the agent's folder. Mounted read-write as the sandbox's working
   * directory (`/workspace/agent` in a container). Its last component must match
   * `^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$` and must not be `global`.
   */
  agentFolder: string;
  /** The agent's display name; used in labels and logs only. */
  agentName: string;
  /** True for the main agent: its extra mounts may be read-write when the allowlist allows it. */
  isMain: boolean;
  /**
   * Extra mounts the agent asks for; each one must pass the mount policy (an allowlist file, no
   * secret-looking path component, no secret-looking entry in the folder's top two levels), or
   * the acquire fails with `mount_refused` naming the reason. @default []
   */
  mounts?: readonly SandboxMount[];
  /** Resource limits; missing fields take the runtime's defaults. */
  limits?: Partial<SandboxLimits>;
  /**
   * `none`: no network at all. An {@link EgressPolicy}: still no network of its own, but its tools
   * reach the allowlisted domains through the host's egress proxy (`HTTP_PROXY` and `HTTPS_PROXY`
   * point at a forwarder inside the sandbox). Drivers that cannot isolate the network (the local
   * runtime) refuse a policy with `NotSupportedError`; they never give full network instead.
   * @default 'none'
   */
  network?: 'none' | EgressPolicy;
  /**
   * Extra environment variables for the tools (settings such as `DEBUG=1`, never secrets). Refused
   * with `invalid_input`: a name with a secret-looking segment (TOKEN, SECRET, PASSWORD, PASSWD,
   * PASS, KEY, CREDENTIAL, AUTH, PEM, COOKIE, DATABASE_URL, ...; whole segments, so `MONKEY` and
   * `AUTHOR` pass), and a value that looks like a credential (API key prefixes such as `sk-`,
   * `ghp_`, `xoxb-`, AWS key ids, JWTs, URLs with a password, long random strings). @default {}
   */
  env?: Readonly<Record<string, string>>;
  /**
   * MCP servers of the sandbox: stdio servers the sandbox program starts inside it, and remote
   * servers (streamable HTTP) it reaches through the host's egress proxy; their tools join
   * {@link Sandbox.listTools} as `mcp__<server>__<tool>`. A server that fails to start, does not
   * list its tools in time or exits is reported (`McpServersCapability`) and offers no tool;
   * the sandbox works on. Refused with `invalid_input`: a name that is not
   * `^[a-z0-9][a-z0-9_-]{0,31}$` or is used twice, not exactly one of `command` and `url`, an `env`,
   * argument or plain header value that looks like a secret (the rule of {@link SandboxSpec.env}), a
   * `url` with credentials or a fragment, or whose host {@link SandboxSpec.network} does not allow;
   * with `NotSupportedError`: a `url` on a driver without an egress proxy. @default []
   */
  mcpServers?: readonly SandboxMcpServer[];
}

/** One piece of live output from a running call. */
export interface SandboxProgress {
  /** Which output stream the text came from. */
  stream: 'stdout' | 'stderr';
  /** The text, in arrival order; may cut a line in two. */
  text: string;
}

/** Options of one {@link Sandbox.call}. */
export interface SandboxCallOptions {
  /**
   * Time limit of the call. When it passes, the tool's processes are killed (the whole process
   * group) and the call rejects with `SandboxError` reason `timeout`; the sandbox stays usable.
   * @default the runtime's default (2 minutes for the built-in drivers)
   */
  timeoutMs?: number;
  /** Aborting kills the tool's processes and rejects the call with reason `aborted`. */
  signal?: AbortSignal;
  /** Receives live output while the call runs (bash streams its stdout and stderr). */
  onProgress?: (progress: SandboxProgress) => void;
  /**
   * The turn this call belongs to. A sandbox with an egress policy counts the bytes its proxy moves
   * per turn (`maxBytesPerTurn`): the count starts again at the first call that names a new turn,
   * and what it records names the turn. Calls that name none count toward the last turn named.
   */
  turnId?: string;
}

/** The answer of a successful call. */
export interface SandboxCallResult {
  /**
   * The tool's output, JSON-shaped; its form is the tool's own (bash returns
   * `{ stdout, stderr, exitCode, ... }`; a non-zero exit code is a result, not an error).
   */
  output: unknown;
  /** Wall time of the call as the host measured it. */
  durationMs: number;
}

/**
 * A running sandbox of one session. The same object is handed out for every acquire of the
 * session while it lives. If its process or container dies, the next call starts a fresh one.
 */
export interface Sandbox {
  /** Identifier of the current container or process; changes when a dead one is replaced. */
  readonly id: string;
  /** The session it belongs to. */
  readonly sessionId: string;
  /**
   * Runs one tool inside the sandbox. Calls may run concurrently.
   * @param tool a name from {@link SandboxRuntime.tools}, or one {@link listTools} offered
   * @param input the tool's input, checked by the sandbox against the tool's schema (an MCP tool's
   *   input must be an object; the server checks the rest)
   * @returns the tool's output; an MCP tool's is its content as text (images and binary resources
   *   described, not included), capped like other tools' output
   * @throws SandboxError `invalid_input` (unknown tool, input not matching the schema, a path
   *   outside the workspace), `tool_failed` (the tool refused or failed: missing file, `edit_file`
   *   text not found or not unique, an MCP tool's `isError` answer with its text, an MCP server
   *   that exited during the call), `timeout`, `aborted`, `out_of_memory`, `crashed` (the
   *   sandbox died during the call), `protocol`, `closed` (after {@link Sandbox.close} or reaping),
   *   or `engine_unavailable` / `image_missing` when a replacement cannot be started
   */
  call(tool: string, input: unknown, options?: SandboxCallOptions): Promise<SandboxCallResult>;
  /**
   * The tools this sandbox offers now, for the model: the runtime's built-in tools its program
   * reported when it started (a subset of {@link SandboxRuntime.tools}, in that order), plus the
   * tools of the MCP servers running in it (see {@link SandboxSpec.mcpServers}): the first listing
   * waits until each server has listed its tools or failed (its `startTimeoutMs`); a server that
   * failed or exited offers none. MCP tools are named `mcp__<server>__<tool>` mapped to
   * `^[a-zA-Z0-9_-]{1,64}$` (other characters become `_`; a name too long is shortened and ends in
   * a short hash; duplicates get one too); their descriptions and input schemas are capped. The gateway
   * assembles each turn's tools from this list once the session's sandbox is running, and from
   * {@link SandboxRuntime.tools} before that, so a turn that uses no tool starts no sandbox.
   * Starts the sandbox's program when none runs (first use, or the last one died).
   * @throws SandboxError like {@link Sandbox.call} when a program cannot be started
   *   (`engine_unavailable`, `image_missing`, `crashed`, `protocol`, `closed`)
   */
  listTools(): Promise<SandboxToolDefinition[]>;
  /**
   * Gives back this acquire's claim. The sandbox stays warm for the session's next acquire until
   * the idle timeout, but when others are waiting for a slot an unclaimed sandbox is stopped first.
   * Calling it more often than `acquire` was called has no effect.
   */
  release(): void;
  /**
   * Stops and removes the sandbox now, for every holder. Later calls reject with reason `closed`;
   * the session's next acquire starts a new one. Idempotent.
   */
  close(): Promise<void>;
}

/** What {@link SandboxRuntime.list} reports about one sandbox. */
export interface SandboxInfo {
  /** Identifier of the current container or process, empty while it is starting. */
  id: string;
  /** The session it belongs to. */
  sessionId: string;
  /** The agent's display name. */
  agentName: string;
  /** `starting` before its first process answers, `busy` while calls run, else `idle`. */
  state: 'starting' | 'idle' | 'busy';
  /** Acquires not yet released. */
  claims: number;
  /** Calls running now. */
  callsInFlight: number;
  /** When the sandbox was first started (epoch ms). */
  createdAt: number;
  /** When a call last started or ended (epoch ms). */
  lastActiveAt: number;
}

/** Options of {@link SandboxRuntime.acquire}. */
export interface SandboxAcquireOptions {
  /** Stops waiting for a free slot; the acquire rejects with `SandboxError` reason `aborted`. */
  signal?: AbortSignal;
}

/** Options of {@link SandboxRuntime.reap}. */
export interface SandboxReapOptions {
  /**
   * Stop sandboxes that have had no call running for at least this long, claimed or not.
   * `0` stops every sandbox without a running call.
   * @default the runtime's idle timeout (30 minutes for the built-in drivers)
   */
  idleForMs?: number;
  /** Only consider this session's sandbox. */
  sessionId?: string;
}

/**
 * Runs sandboxes: one per session, kept warm between turns, stopped after an idle timeout, at
 * most a fixed number at once (further acquires wait in order). Drivers: Docker (isolated) and a
 * local child process (development only, not isolated).
 */
export interface SandboxRuntime {
  /** The version of this contract the driver implements. */
  readonly specificationVersion: 1;
  /** Driver name, such as `docker` or `local`. */
  readonly name: string;
  /**
   * True when tools run isolated from the host (own filesystem, no host secrets, limits). False
   * means tools run on the host as the gateway's user; apps must say so plainly.
   */
  readonly isolated: boolean;
  /**
   * The built-in tools every sandbox of this runtime offers, for the model; known without
   * starting a sandbox. A running sandbox may offer more ({@link Sandbox.listTools}).
   */
  readonly tools: readonly SandboxToolDefinition[];
  /**
   * Returns the session's sandbox, starting one if it has none. Waits in order while the
   * runtime is at its limit of sandboxes. Each acquire should be paired with
   * {@link Sandbox.release} (or {@link Sandbox.close}).
   * @throws SandboxError `engine_unavailable` (the message says how to start the engine),
   *   `image_missing` (the message says how to build it), `mount_refused`, `disk_limit` (the
   *   agent folder's size limit cannot be set up; the message says why and how to fix it), `invalid_input`
   *   (bad spec), `aborted`, `closed` (the runtime was closed)
   * @throws NotSupportedError for an egress policy on a driver that cannot isolate the network (and so
   *   for a remote MCP server, which needs one)
   * @throws ConfigError when a remote MCP server's header names a host setting the runtime was not given
   */
  acquire(spec: SandboxSpec, options?: SandboxAcquireOptions): Promise<Sandbox>;
  /** The sandboxes alive or starting now. */
  list(): Promise<SandboxInfo[]>;
  /**
   * Stops idle sandboxes now (the runtime also does this on its own timer).
   * @returns how many were stopped
   */
  reap(options?: SandboxReapOptions): Promise<number>;
  /** Stops every sandbox and rejects waiting acquires with reason `closed`. Idempotent. */
  close(): Promise<void>;
}
