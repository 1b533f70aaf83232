import * as v from 'valibot';

/**
 * Bounds on what an MCP server may put in front of the model: whatever a server says is cut to
 * these before it leaves the sandbox, and the host refuses a list past them.
 */
export const mcpToolLimits = Object.freeze({
  /** Characters of a tool's description (the server's own text is cut shorter to leave room for a note). */
  descriptionChars: 2_048,
  /** Bytes of a tool's input schema written as JSON; a larger one is replaced by a bare object schema. */
  inputSchemaBytes: 16 * 1024,
  /** Tools one server may offer; the rest are left out and reported. */
  toolsPerServer: 100,
  /** Characters of a report about a server (its problem, with the end of its stderr). */
  problemChars: 2_000,
});

/** Names providers accept for tools. */
export const providerToolNamePattern = /^[a-zA-Z0-9_-]{1,64}$/;

/** One tool a sandbox added to its built-ins, described for the model. */
export const listedToolSchema = v.object({
  name: v.pipe(v.string(), v.regex(providerToolNamePattern)),
  description: v.pipe(v.string(), v.maxLength(mcpToolLimits.descriptionChars)),
  inputSchema: v.pipe(
    v.looseObject({
      type: v.literal('object'),
      properties: v.optional(v.record(v.string(), v.unknown())),
      required: v.optional(v.array(v.string())),
    }),
    v.check((schema) => JSON.stringify(schema).length <= mcpToolLimits.inputSchemaBytes, 'the input schema is too large'),
  ),
});

/** What became of one MCP server (see `SandboxMcpServerStatus` in `@ngb/plugin-sdk`). */
export const mcpServerStatusSchema = v.object({
  name: v.string(),
  state: v.picklist(['ready', 'failed', 'exited']),
  tools: v.pipe(v.number(), v.integer(), v.minValue(0)),
  problem: v.optional(v.pipe(v.string(), v.maxLength(mcpToolLimits.problemChars))),
});

/** The answer to a `list-tools` frame: the tools of the sandbox's MCP servers, and how each server fares. */
export const toolListSchema = v.object({
  tools: v.array(listedToolSchema),
  servers: v.array(mcpServerStatusSchema),
});

/** One tool a sandbox added to its built-ins. */
export type ListedTool = v.InferOutput<typeof listedToolSchema>;
/** What became of one MCP server. */
export type McpServerStatus = v.InferOutput<typeof mcpServerStatusSchema>;
/** The answer to a `list-tools` frame. */
export type ToolList = v.InferOutput<typeof toolListSchema>;
