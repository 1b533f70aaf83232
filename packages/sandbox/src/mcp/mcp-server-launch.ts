import * as v from 'valibot';

/** Bounds on the MCP servers of one sandbox, shared by the host's checks and the program's. */
export const mcpServerLimits = Object.freeze({
  /** Servers in one sandbox. */
  servers: 16,
  /** The whole list written as JSON (it travels as one argument of the program). */
  encodedBytes: 64 * 1024,
  /** How long a server may take to start and list its tools when its launch names no limit. */
  defaultStartTimeoutMs: 30_000,
  /** The longest start time limit a launch may name. */
  maxStartTimeoutMs: 10 * 60_000,
});

/** The program option that hands the servers to the sandbox program, as JSON. */
export const mcpServersOption = '--mcp-servers';

/** One MCP server as the sandbox program is told it, defaults filled in. */
export const mcpServerLaunchSchema = v.strictObject({
  name: v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_-]{0,31}$/)),
  command: v.pipe(v.string(), v.minLength(1)),
  args: v.array(v.string()),
  env: v.record(v.string(), v.string()),
  startTimeoutMs: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(mcpServerLimits.maxStartTimeoutMs)),
});

/** One MCP server as the sandbox program is told it. */
export type McpServerLaunch = v.InferOutput<typeof mcpServerLaunchSchema>;

const launchListSchema = v.pipe(
  v.array(mcpServerLaunchSchema),
  v.maxLength(mcpServerLimits.servers),
  v.check((launches) => new Set(launches.map((launch) => launch.name)).size === launches.length, 'server names must be unique'),
);

/**
 * Reads the value of {@link mcpServersOption}.
 * @throws Error saying what is wrong with it
 */
export function parseMcpServersOption(text: string): McpServerLaunch[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${mcpServersOption} is not JSON: ${(error as Error).message}`);
  }
  const result = v.safeParse(launchListSchema, value);
  if (result.success) return result.output;
  const issue = result.issues[0];
  throw new Error(`${mcpServersOption}: ${v.getDotPath(issue) ?? 'the list'}: ${issue.message}`);
}
