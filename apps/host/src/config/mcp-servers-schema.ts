import * as v from 'valibot';
import { section, text } from './config-values';

/** The longest start time limit of an MCP server: ten minutes, the most the sandbox accepts. */
const maxStartTimeoutMs = 600_000;

// Remote MCP (streamable HTTP) needs network, which a sandbox gets only through the egress proxy.
const remoteRefused = v.custom<never>(
  () => false,
  'is a remote MCP server (streamable HTTP), which needs the egress proxy, and that is not built yet: ' +
    'run the server inside the sandbox with "command" instead',
);

/**
 * `agents.<folder>.mcpServers[n]`: a stdio MCP server started inside the agent's sandbox. The shape is
 * checked here; the runtime's rule for what may enter a sandbox (no secret-looking setting or
 * argument) is applied when the gateway is planned (see `checkAgentMcpServers`).
 */
const mcpServerSchema = section(
  v.object({
    // First, so that a remote server is refused for being remote rather than for lacking a command.
    url: v.optional(remoteRefused),
    name: v.pipe(
      v.string(),
      v.regex(
        /^[a-z0-9][a-z0-9_-]{0,31}$/,
        'must be 1-32 lower-case letters, digits, "_" or "-", starting with a letter or digit',
      ),
    ),
    command: text,
    args: v.optional(v.array(v.string('must be text'), 'must be a list of strings, such as ["server.js", "--verbose"]')),
    env: v.optional(
      section(
        v.record(v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'is not a variable name')), v.string('must be text')),
        '{ "NAME": "value" }',
      ),
    ),
    startTimeoutMs: v.optional(
      v.pipe(
        v.number(),
        v.integer('must be a whole number'),
        v.minValue(1, `must be from 1 to ${maxStartTimeoutMs} (ms)`),
        v.maxValue(maxStartTimeoutMs, `must be from 1 to ${maxStartTimeoutMs} (ms)`),
      ),
    ),
  }),
  '{ "name": "tiny", "command": "node", "args": ["tiny.mjs"] }',
);

/** `agents.<folder>.mcpServers`: the agent's stdio MCP servers, names unique. */
export const mcpServersSchema = v.pipe(
  v.array(mcpServerSchema, 'must be a list of { "name": ..., "command": ..., "args"?: [...], "env"?: {...} }'),
  v.check(
    (servers) => new Set(servers.map((server) => server.name)).size === servers.length,
    'names two servers alike: each MCP server needs a name of its own',
  ),
);
