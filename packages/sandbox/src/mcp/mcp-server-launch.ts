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

const launchName = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_-]{0,31}$/));
const launchStartTimeoutMs = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(mcpServerLimits.maxStartTimeoutMs));

/** A stdio MCP server as the sandbox program is told it, defaults filled in. */
const stdioLaunchSchema = v.strictObject({
  name: launchName,
  command: v.pipe(v.string(), v.minLength(1)),
  args: v.array(v.string()),
  env: v.record(v.string(), v.string()),
  startTimeoutMs: launchStartTimeoutMs,
});

/**
 * A remote MCP server (streamable HTTP) as the sandbox program is told it: its endpoint only. It is
 * reached through the egress proxy, which adds the server's headers; the program never holds them.
 */
const remoteLaunchSchema = v.strictObject({
  name: launchName,
  url: v.pipe(
    v.string(),
    v.check((url) => URL.canParse(url) && /^https?:$/.test(new URL(url).protocol), 'must be an http:// or https:// URL'),
  ),
  startTimeoutMs: launchStartTimeoutMs,
});

/** One MCP server as the sandbox program is told it, defaults filled in: stdio (`command`) or remote (`url`). */
export const mcpServerLaunchSchema = v.union([stdioLaunchSchema, remoteLaunchSchema]);

/** One MCP server as the sandbox program is told it. */
export type McpServerLaunch = v.InferOutput<typeof mcpServerLaunchSchema>;

/** A remote MCP server as the sandbox program is told it. */
export type RemoteMcpServerLaunch = v.InferOutput<typeof remoteLaunchSchema>;

/** True for a remote server's launch. */
export const isRemoteMcpLaunch = (launch: McpServerLaunch): launch is RemoteMcpServerLaunch => 'url' in launch;

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
