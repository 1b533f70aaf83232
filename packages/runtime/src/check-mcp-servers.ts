import { type EgressPolicy, isEgressDomainAllowed, normalizeEgressDomain, SandboxError } from '@ngb/plugin-sdk';
import { type McpServerLaunch, mcpServerLimits } from '@ngb/sandbox';
import { mcpHeadersProblem } from './mcp-server-headers';
import { sandboxEnvProblem, sandboxValueProblem } from './sandbox-env-policy';

const namePattern = /^[a-z0-9][a-z0-9_-]{0,31}$/;
/** Longest command, argument or setting value: the secret checks are not meant for megabytes of text. */
const maxValueChars = 4096;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The longest URL of a remote server. */
const maxUrlChars = 2048;

/**
 * Checks a spec's `mcpServers` and fills in the defaults: names unique and of the allowed form,
 * exactly one of `command` and `url`; for a stdio server a command, arguments and settings that are
 * not secrets (the rule of `env`); for a remote one an http(s) URL without credentials or fragment
 * whose host `network` allows, and headers that pass `mcpHeadersProblem`; a sane start time limit.
 * @param network the spec's checked network: a remote server needs its host on the allowlist
 * @returns the servers as the sandbox program is told them (a remote one without its headers, which
 *   only the host's egress proxy holds)
 * @throws SandboxError `invalid_input` naming the field (never repeating a secret-looking value)
 */
export function checkMcpServers(servers: unknown, network: 'none' | EgressPolicy = 'none'): McpServerLaunch[] {
  const refuse = (message: string) => new SandboxError('invalid_input', `[@ngb/runtime] \`mcpServers\`${message}`);
  if (servers === undefined) return [];
  if (!Array.isArray(servers))
    throw refuse(
      ' must be a list of { name, command, args?, env?, startTimeoutMs? } or { name, url, headers?, startTimeoutMs? }',
    );
  if (servers.length > mcpServerLimits.servers)
    throw refuse(` lists ${servers.length} servers; at most ${mcpServerLimits.servers}`);
  // Measured first: the secret checks below are not meant for megabytes of text.
  let encodedBytes: number;
  try {
    encodedBytes = Buffer.byteLength(JSON.stringify(servers));
  } catch {
    throw refuse(' must be plain JSON data');
  }
  if (encodedBytes > mcpServerLimits.encodedBytes) {
    throw refuse(` takes ${encodedBytes} bytes written as JSON; at most ${mcpServerLimits.encodedBytes}`);
  }
  const names = new Set<string>();
  const origins = new Map<string, string>();
  return servers.map((server: unknown, index): McpServerLaunch => {
    const at = `[${index}]`;
    if (!isPlainObject(server)) throw refuse(`${at} must be an object { name, command, ... }`);
    if (typeof server.name !== 'string' || !namePattern.test(server.name)) {
      throw refuse(`${at}.name must be 1-32 lower-case letters, digits, "_" or "-", starting with a letter or digit`);
    }
    const name = server.name;
    if (names.has(name)) throw refuse(`${at}.name "${name}" is used twice; each server needs its own name`);
    names.add(name);
    const startTimeoutMs = server.startTimeoutMs ?? mcpServerLimits.defaultStartTimeoutMs;
    if (
      typeof startTimeoutMs !== 'number' ||
      !Number.isInteger(startTimeoutMs) ||
      startTimeoutMs < 1 ||
      startTimeoutMs > mcpServerLimits.maxStartTimeoutMs
    ) {
      throw refuse(`${at}.startTimeoutMs must be a whole number of ms from 1 to ${mcpServerLimits.maxStartTimeoutMs}`);
    }
    if (server.url !== undefined) {
      if (server.command !== undefined || server.args !== undefined || server.env !== undefined) {
        throw refuse(
          `${at} names a \`url\` and a \`command\`, \`args\` or \`env\`: a server is either remote (url) or stdio (command)`,
        );
      }
      const url = remoteServerUrl(server.url);
      if (typeof url === 'string') throw refuse(`${at}.url ${url}`);
      const host = url.hostname.replace(/^\[|\]$/g, '');
      if (network === 'none') {
        throw refuse(
          `${at} ("${name}") is a remote MCP server, reached only through the egress proxy, and the network is "none"; ` +
            `allow its host: "network": { "allow": ["${host}"] }`,
        );
      }
      const domain = normalizeEgressDomain(host);
      if (!domain.ok || !isEgressDomainAllowed(domain.domain, network.allow)) {
        throw refuse(`${at}.url: its host ${host} is not allowed by the network; add "${host}" to \`network.allow\``);
      }
      const headersProblem = mcpHeadersProblem(`\`mcpServers${at}.headers\``, server.headers);
      if (headersProblem) throw refuse(`: ${headersProblem}`);
      const hasHeaders = Object.keys(server.headers ?? {}).length > 0;
      const sharing = origins.get(url.origin);
      if (sharing !== undefined && (hasHeaders || sharing === 'with headers')) {
        throw refuse(
          `${at}.url has the origin ${url.origin} of another server with headers; the proxy could not tell whose headers to add`,
        );
      }
      origins.set(url.origin, hasHeaders ? 'with headers' : 'without');
      return { name, url: url.href, startTimeoutMs };
    }
    if (server.headers !== undefined) throw refuse(`${at}.headers: only a remote server (\`url\`) takes headers`);
    if (typeof server.command !== 'string' || server.command.trim() === '') {
      throw refuse(
        `${at}.command must be a non-empty string (the program to start inside the sandbox), or name a \`url\` (a remote server)`,
      );
    }
    const args = server.args ?? [];
    if (!Array.isArray(args) || args.some((argument) => typeof argument !== 'string')) {
      throw refuse(`${at}.args must be a list of strings`);
    }
    const envValues = isPlainObject(server.env) ? Object.values(server.env) : [];
    if ([server.command, ...args, ...envValues].some((value) => typeof value === 'string' && value.length > maxValueChars)) {
      throw refuse(`${at}: its command, each argument and each setting must be at most ${maxValueChars} characters`);
    }
    args.forEach((argument: string, position) => {
      const problem = sandboxValueProblem(`\`mcpServers${at}.args[${position}]\``, argument);
      if (problem) throw refuse(`: ${problem}`);
    });
    const commandProblem = sandboxValueProblem(`\`mcpServers${at}.command\``, server.command);
    if (commandProblem) throw refuse(`: ${commandProblem}`);
    const env: Record<string, string> = {};
    if (server.env !== undefined && !isPlainObject(server.env)) throw refuse(`${at}.env must be an object of settings`);
    for (const [variable, value] of Object.entries(server.env ?? {})) {
      const problem = sandboxEnvProblem(variable, typeof value === 'string' ? value : '');
      if (problem) throw refuse(`${at}.env: ${problem}`);
      if (typeof value !== 'string') throw refuse(`${at}.env.${variable} must be a string`);
      env[variable] = value;
    }
    return { name, command: server.command, args: [...args], env, startTimeoutMs };
  });
}

/** The URL of a remote server, or why it is refused. */
function remoteServerUrl(value: unknown): URL | string {
  if (typeof value !== 'string' || !URL.canParse(value)) return 'must be an http:// or https:// URL';
  if (value.length > maxUrlChars) return `must be at most ${maxUrlChars} characters`;
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `must be an http:// or https:// URL, not ${url.protocol}`;
  if (url.username !== '' || url.password !== '') {
    return `must not carry credentials; give them as a header whose value names a host setting, such as "Bearer \${MCP_TOKEN}"`;
  }
  if (value.includes('#')) return 'must not have a fragment (#...)';
  return url;
}
