import { NotSupportedError, SandboxError } from '@ngb/plugin-sdk';
import { type McpServerLaunch, mcpServerLimits } from '@ngb/sandbox';
import { sandboxEnvProblem, sandboxValueProblem } from './sandbox-env-policy';

const namePattern = /^[a-z0-9][a-z0-9_-]{0,31}$/;
/** Longest command, argument or setting value: the secret checks are not meant for megabytes of text. */
const maxValueChars = 4096;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks a spec's `mcpServers` and fills in the defaults: names unique and of the allowed form, a
 * command, arguments and settings that are not secrets (the rule of `env`), a sane start time limit.
 * @returns the servers as the sandbox program is told them
 * @throws SandboxError `invalid_input` naming the field (never repeating a secret-looking value)
 * @throws NotSupportedError for a remote server (`url`): it needs the egress proxy
 */
export function checkMcpServers(servers: unknown): McpServerLaunch[] {
  const refuse = (message: string) => new SandboxError('invalid_input', `[@ngb/runtime] \`mcpServers\`${message}`);
  if (servers === undefined) return [];
  if (!Array.isArray(servers)) throw refuse(' must be a list of { name, command, args?, env?, startTimeoutMs? }');
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
  return servers.map((server: unknown, index): McpServerLaunch => {
    const at = `[${index}]`;
    if (!isPlainObject(server)) throw refuse(`${at} must be an object { name, command, ... }`);
    if (typeof server.name !== 'string' || !namePattern.test(server.name)) {
      throw refuse(`${at}.name must be 1-32 lower-case letters, digits, "_" or "-", starting with a letter or digit`);
    }
    const name = server.name;
    if (names.has(name)) throw refuse(`${at}.name "${name}" is used twice; each server needs its own name`);
    names.add(name);
    if (server.url !== undefined) {
      throw new NotSupportedError(
        `[@ngb/runtime] \`mcpServers${at}\` ("${name}") is a remote MCP server (\`url\`): a sandbox has no network, and ` +
          "remote MCP over streamable HTTP needs the host's egress proxy, which this runtime does not offer; run the server inside the sandbox with `command`",
      );
    }
    if (typeof server.command !== 'string' || server.command.trim() === '') {
      throw refuse(`${at}.command must be a non-empty string (the program to start inside the sandbox)`);
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
    const startTimeoutMs = server.startTimeoutMs ?? mcpServerLimits.defaultStartTimeoutMs;
    if (
      typeof startTimeoutMs !== 'number' ||
      !Number.isInteger(startTimeoutMs) ||
      startTimeoutMs < 1 ||
      startTimeoutMs > mcpServerLimits.maxStartTimeoutMs
    ) {
      throw refuse(`${at}.startTimeoutMs must be a whole number of ms from 1 to ${mcpServerLimits.maxStartTimeoutMs}`);
    }
    return { name, command: server.command, args: [...args], env, startTimeoutMs };
  });
}
