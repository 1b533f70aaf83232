import * as v from 'valibot';
import { section, text } from './config-values';

/** The longest start time limit of an MCP server: ten minutes, the most the sandbox accepts. */
const maxStartTimeoutMs = 600_000;

const remoteUrl = v.pipe(
  v.string('must be text'),
  v.check(
    (url) => URL.canParse(url) && ['http:', 'https:'].includes(new URL(url).protocol),
    'must be an http:// or https:// URL, such as "https://mcp.example.com/mcp"',
  ),
);

/**
 * `agents.<folder>.mcpServers[n]`: a stdio MCP server started inside the agent's sandbox (`command`),
 * or a remote one reached over streamable HTTP through the egress proxy (`url`, with `headers` the
 * proxy adds, `${NAME}` standing for a variable of the gateway's environment). The shape is checked
 * here; the runtime's rules (no secret-looking setting, argument or plain header; the URL's host on
 * the agent's `network.allow`) and the variables' presence when the gateway is planned (see
 * `checkAgentMcpServers`).
 */
const mcpServerSchema = section(
  v.object({
    url: v.optional(remoteUrl),
    headers: v.optional(
      section(v.record(v.string(), v.string('must be text')), '{ "Authorization": "Bearer $' + '{MCP_TOKEN}" }'),
    ),
    name: v.pipe(
      v.string(),
      v.regex(
        /^[a-z0-9][a-z0-9_-]{0,31}$/,
        'must be 1-32 lower-case letters, digits, "_" or "-", starting with a letter or digit',
      ),
    ),
    command: v.optional(text),
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
  '{ "name": "tiny", "command": "node", "args": ["tiny.mjs"] } or { "name": "docs", "url": "https://mcp.example.com/mcp" }',
);

const oneKind = (server: v.InferOutput<typeof mcpServerSchema>) => (server.command === undefined) !== (server.url === undefined);

/** `agents.<folder>.mcpServers`: the agent's MCP servers (stdio or remote), names unique. */
export const mcpServersSchema = v.pipe(
  v.array(
    v.pipe(
      mcpServerSchema,
      v.check(oneKind, 'must name either "command" (a stdio server started in the sandbox) or "url" (a remote server), not both'),
    ),
    'must be a list of { "name": ..., "command": ..., "args"?: [...], "env"?: {...} } or { "name": ..., "url": ..., "headers"?: {...} }',
  ),
  v.check(
    (servers) => new Set(servers.map((server) => server.name)).size === servers.length,
    'names two servers alike: each MCP server needs a name of its own',
  ),
);
