import type { EgressPolicy } from '../egress';

/** How an agent calls its model. Every field falls back to the gateway's defaults. */
export interface AgentModelSettings {
  /** Provider name as registered with the gateway, such as `anthropic` or `openai`. */
  provider?: string;
  /** Model id, such as `claude-sonnet-5-5`. */
  model?: string;
  /** Upper bound of output tokens per model call. */
  maxTokens?: number;
  /** Sampling temperature. */
  temperature?: number;
  /** The model's context window in tokens, over the gateway's table of known models. */
  contextWindow?: number;
  /** Share of the context window a prompt may fill before older turns are compacted (0 < share < 1). @default 0.7 */
  compactAt?: number;
  /** How many chat messages one prompt carries at most (the most recent). @default 50 */
  maxPromptMessages?: number;
  /**
   * Models tried in order when a call to the one before still fails with a retryable error (429,
   * 529, 5xx, timeout) after its in-place retries; a non-retryable error (400, 401) never falls
   * through. Each entry names a provider (another vendor allowed) and a model.
   * @default [] (no fallback)
   */
  fallbacks?: AgentModelFallback[];
}

/** One model of an agent's fallback chain. */
export interface AgentModelFallback {
  /** Provider name as registered with the gateway. @default the agent's provider */
  provider?: string;
  /** Model id; required (a fallback to the same model would only repeat the failed call). */
  model: string;
}

/** An extra host directory mounted into the agent's sandbox (checked by the runtime's mount policy). */
export interface AgentMount {
  /** Absolute path on the host. */
  hostPath: string;
  /** Name under `/workspace/extra/` inside the sandbox. @default the host folder's name */
  containerPath?: string;
  /** Mount read-only. @default true for non-main agents (the runtime enforces it). */
  readonly?: boolean;
}

/**
 * An MCP server of the agent's sandboxes, stdio (`command`) or remote (`url`) (see `SandboxMcpServer`,
 * which it becomes).
 */
export interface AgentMcpServer {
  /** Unique per agent: `^[a-z0-9][a-z0-9_-]{0,31}$`. */
  name: string;
  /** The program to start inside the sandbox; exactly one of `command` and `url`. */
  command?: string;
  /** A remote server's streamable HTTP endpoint, reached through the egress proxy. */
  url?: string;
  /**
   * Headers the host's egress proxy adds to the remote server's requests, as written in the config:
   * `${NAME}` stands for a host setting filled in by the runtime, so no secret is stored. @default {}
   */
  headers?: Record<string, string>;
  /** @default [] */
  args?: string[];
  /** Settings for this server (never secrets). @default {} */
  env?: Record<string, string>;
  /** @default 30000 */
  startTimeoutMs?: number;
}

/** The sandbox an agent's sessions run in. */
export interface AgentSandboxSettings {
  /**
   * `none` (the default), or the domains its tools may reach through the host's egress proxy
   * (normalized: lower-case, punycode, no duplicates; see `checkEgressNetwork`).
   */
  network: 'none' | EgressPolicy;
  /** Memory limit in MiB. */
  memoryMb?: number;
  /** CPU limit (fractions allowed). */
  cpus?: number;
  /** Process count limit. */
  pids?: number;
  /** Size limit of the agent folder in MiB. */
  diskMb?: number;
  /** Extra mounts; empty for none. */
  mounts: AgentMount[];
  /**
   * MCP servers of each of the agent's sandboxes (see `SandboxSpec.mcpServers`).
   * @default []
   */
  mcpServers?: AgentMcpServer[];
}

/** An agent: a folder with its instructions and memory, a model and a sandbox. */
export interface Agent {
  id: string;
  /** Folder name under the agents directory; unique; matches `^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`, never `global`. */
  folder: string;
  /** Display name. */
  name: string;
  /** The main agent may administer the gateway (register chats, admin tools). At most one. */
  isMain: boolean;
  /** The name the assistant answers to in chats (mention trigger), when it differs from `name`. */
  assistantName?: string;
  /** File name of the instructions/memory file in the folder. @default 'AGENTS.md' */
  instructionsFile: string;
  model: AgentModelSettings;
  sandbox: AgentSandboxSettings;
  /** IANA time zone the agent lives in. @default 'UTC' */
  timezone: string;
  createdAt: number;
  updatedAt: number;
}

/** Input of {@link AgentsRepository.create}. */
export interface NewAgent {
  folder: string;
  name: string;
  isMain: boolean;
  assistantName?: string;
  /** @default 'AGENTS.md' */
  instructionsFile?: string;
  /** @default {} */
  model?: AgentModelSettings;
  /** @default { network: 'none', mounts: [] } */
  sandbox?: Partial<AgentSandboxSettings>;
  /** @default 'UTC' */
  timezone?: string;
}

/** Changes to an agent. `model` and `sandbox` replace the whole settings object. */
export interface AgentPatch {
  folder?: string;
  name?: string;
  isMain?: boolean;
  assistantName?: string | null;
  instructionsFile?: string;
  model?: AgentModelSettings;
  sandbox?: Partial<AgentSandboxSettings>;
  timezone?: string;
}

/** Agents. */
export interface AgentsRepository {
  /**
   * Creates an agent.
   * @throws ConfigError when the folder name is invalid, reserved (`global`, any case) or already used,
   *   or when `isMain` is set and a main agent exists; the message names the folder.
   */
  create(input: NewAgent): Promise<Agent>;
  /** @returns the agent, or undefined when the id is unknown */
  get(id: string): Promise<Agent | undefined>;
  /** @returns the agent using `folder`, or undefined */
  getByFolder(folder: string): Promise<Agent | undefined>;
  /** @returns all agents, oldest first */
  list(): Promise<Agent[]>;
  /**
   * Changes an agent.
   * @throws NotFoundError for an unknown id; ConfigError for the same reasons as `create`
   */
  update(id: string, patch: AgentPatch): Promise<Agent>;
  /**
   * Deletes an agent with everything that belongs to it (wirings, sessions and their inbox, turns and
   * transcript, tasks, destinations, memberships, scoped roles).
   * @throws NotFoundError for an unknown id
   */
  remove(id: string): Promise<void>;
}
