import type { Address } from '../address';
import type { Logger } from '../logger';
import type { Sandbox } from './sandbox';

/** A JSON Schema object describing a tool's input, as sent to the model. */
export type JsonSchema = { type: 'object'; properties?: Record<string, unknown>; required?: string[]; [key: string]: unknown };

/** What a tool gets besides its input. */
export interface ToolContext {
  /** The agent running the tool. */
  agentId: string;
  /** True for the main agent, which may use admin tools. */
  isMain: boolean;
  /** The session the turn belongs to. */
  sessionId: string;
  /** The turn the call is part of. */
  turnId: string;
  /** The chat the turn answers, when it was started by a message. */
  origin?: Address;
  /** Aborted when the turn is cancelled or times out. */
  signal: AbortSignal;
  /** Logger tagged with the tool's name. */
  logger: Logger;
  /**
   * The session's sandbox, acquired on first use and kept warm.
   * @throws SandboxError when no sandbox can be had
   */
  sandbox(): Promise<Sandbox>;
}

/** What a tool returns to the model. */
export interface ToolResult {
  /** Text shown to the model. */
  output: string;
  /** True when the call failed; the model sees the output as an error. */
  isError?: boolean;
}

/**
 * A tool the model may call. Sandbox tools run inside the session's container (through
 * `context.sandbox()`); host tools run in the gateway and must never touch the host filesystem
 * on the model's behalf.
 */
export interface Tool<Input = Record<string, unknown>> {
  /**
   * Name the model calls it by: `^[a-z][a-z0-9_]{0,63}$` (checked by {@link defineTool}). The tools of
   * MCP servers in a sandbox are named `mcp__<server>__<tool>` within `^[a-zA-Z0-9_-]{1,64}$`.
   */
  readonly name: string;
  /** What it does and when to use it, for the model. */
  readonly description: string;
  /** JSON Schema of its input. */
  readonly inputSchema: JsonSchema;
  /** Where it runs. */
  readonly where: 'host' | 'sandbox';
  /**
   * Runs the tool. Throwing is allowed: the core turns the error into an error result.
   * @param input the model's arguments, already checked against `inputSchema`'s required keys
   */
  execute(input: Input, context: ToolContext): Promise<ToolResult>;
}

const toolNamePattern = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Declares a tool, checking its name.
 * @throws TypeError when the name does not match `^[a-z][a-z0-9_]{0,63}$`
 */
export function defineTool<Input = Record<string, unknown>>(tool: Tool<Input>): Tool<Input> {
  if (!toolNamePattern.test(tool.name)) {
    throw new TypeError(`[@ngb/plugin-sdk] invalid tool name "${tool.name}": use lower case letters, digits and _`);
  }
  return tool;
}
