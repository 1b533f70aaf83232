import { ConfigError } from '@ngb/plugin-sdk';
import { sandboxEnvProblem, sandboxValueProblem } from './sandbox-env-policy';

/** Headers the egress proxy adds to the requests for one origin (scheme, host, port). */
export interface EgressHeaderInjection {
  /** `URL.origin` of the remote MCP server: `https://mcp.example.com`, `http://host:8080`. */
  origin: string;
  /**
   * The path of the server's URL (`/mcp`): the headers go only to requests for it or below it, so
   * the credential of an MCP endpoint never reaches another API the same host serves.
   */
  path: string;
  /** Header names and their values, filled in; names unique regardless of case. */
  headers: ReadonlyArray<readonly [name: string, value: string]>;
}

/** Bounds on the headers of one remote MCP server. */
const mcpHeaderLimits = Object.freeze({ headers: 16, nameChars: 64, valueChars: 4096 });

const headerNamePattern = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const variablePattern = /\$\{([A-Za-z_][A-Za-z0-9_]{0,127})\}/g;
// Control characters (tab aside) would end the header line: CR and LF most of all.
const hasControlCharacter = (text: string): boolean => {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if ((code < 32 && code !== 9) || code === 127) return true;
  }
  return false;
};
// Headers that frame the request or speak to the proxy: set by the proxy itself, never injected.
const reservedNames = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-connection',
  'proxy-authenticate',
  'te',
  'trailer',
  'upgrade',
  'expect',
]);
// Headers that carry credentials whatever their value looks like: their value must come from the host.
const credentialNames = new Set(['authorization', 'cookie']);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Why the `headers` of a remote MCP server cannot be used, or undefined when they can: each name an
 * HTTP token that frames nothing (`Host`, `Content-Length`, `Connection`, ... are the proxy's), names
 * unique regardless of case, each value at most {@link mcpHeaderLimits.valueChars} characters with no
 * line break, every `${` naming a variable (`${NAME}`), and a value without one that does not look
 * like a secret (a credential-bearing header such as `Authorization` must take its value from `${NAME}`).
 * @param at how the reason names the server's headers, such as `` `mcpServers[0].headers` ``
 */
export function mcpHeadersProblem(at: string, headers: unknown): string | undefined {
  if (headers === undefined) return undefined;
  if (!isPlainObject(headers)) return `${at} must be an object of header names and values`;
  const entries = Object.entries(headers);
  if (entries.length > mcpHeaderLimits.headers)
    return `${at} names ${entries.length} headers; at most ${mcpHeaderLimits.headers}`;
  const seen = new Set<string>();
  for (const [name, value] of entries) {
    if (name.length > mcpHeaderLimits.nameChars || !headerNamePattern.test(name)) {
      return `${at}: a header name must be an HTTP token of at most ${mcpHeaderLimits.nameChars} characters`;
    }
    const where = `${at}.${name}`;
    const lower = name.toLowerCase();
    if (reservedNames.has(lower)) return `${where} is set by the egress proxy itself and cannot be added`;
    if (seen.has(lower)) return `${where} is named twice (header names ignore case)`;
    seen.add(lower);
    if (typeof value !== 'string') return `${where} must be text`;
    if (value.length > mcpHeaderLimits.valueChars) return `${where} is longer than ${mcpHeaderLimits.valueChars} characters`;
    if (hasControlCharacter(value)) return `${where} holds a line break or another control character`;
    const plain = value.replace(variablePattern, '');
    if (plain.includes('${')) return `${where} has a "\${" that does not name a variable; write \${NAME}, NAME a variable name`;
    const fromHost = plain.length !== value.length;
    const secretName = credentialNames.has(lower) || sandboxEnvProblem(name.replace(/-/g, '_'), '') !== undefined;
    if ((secretName && !fromHost && value !== '') || sandboxValueProblem('', plain) !== undefined) {
      return (
        `${where} looks like a secret written in the config; write its secret part as \${NAME} ` +
        `(such as "Bearer \${MCP_TOKEN}") and set NAME in the environment of the host`
      );
    }
  }
  return undefined;
}

/** The host settings (`${NAME}`) that a server's checked `headers` name, each once. */
export function mcpHeaderVariables(headers: Readonly<Record<string, string>> | undefined): string[] {
  const names = new Set<string>();
  for (const value of Object.values(headers ?? {}))
    for (const match of value.matchAll(variablePattern)) names.add(match[1] as string);
  return [...names];
}

/**
 * The headers the egress proxy adds for each remote server of a checked spec, `${NAME}`s filled in
 * from `variables` (which the host read from its environment; the runtime reads none).
 * @throws ConfigError naming `egress.headerVariables` and the variable, when one is missing or its
 *   value holds a line break (it would end the header)
 */
export function mcpHeaderInjections(
  servers: ReadonlyArray<{ name: string; url?: string; headers?: Readonly<Record<string, string>> }> | undefined,
  variables: Readonly<Record<string, string>>,
): EgressHeaderInjection[] {
  const injections: EgressHeaderInjection[] = [];
  for (const server of servers ?? []) {
    if (server.url === undefined || server.headers === undefined || Object.keys(server.headers).length === 0) continue;
    const headers = Object.entries(server.headers).map(([name, template]) => {
      const value = template.replace(variablePattern, (_, variable: string) => {
        const filled = Object.hasOwn(variables, variable) ? variables[variable] : undefined;
        if (filled === undefined) {
          throw new ConfigError(
            `[@ngb/runtime] the header ${name} of the MCP server "${server.name}" names \${${variable}}, which the host did not ` +
              `provide; set ${variable} in the gateway's environment`,
            { key: 'egress.headerVariables' },
          );
        }
        if (hasControlCharacter(filled) || filled.length > mcpHeaderLimits.valueChars) {
          throw new ConfigError(
            `[@ngb/runtime] the value of ${variable} (the header ${name} of the MCP server "${server.name}") holds a line break ` +
              'or another control character; a header value must be one line',
            { key: 'egress.headerVariables' },
          );
        }
        return filled;
      });
      return [name, value] as const;
    });
    const url = new URL(server.url);
    injections.push({ origin: url.origin, path: url.pathname, headers });
  }
  return injections;
}
