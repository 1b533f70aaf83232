import { SandboxError } from '@ngb/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { checkMcpServers } from './check-mcp-servers';

// Secret-looking values are assembled at run time so that no scanner mistakes this file for a leak.
const slackToken = ['xoxb-', '1234567890-', 'abcdefghijklmnop'].join('');

function refusal(servers: unknown, network?: { allow: string[] }): Error {
  try {
    checkMcpServers(servers, network);
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('the servers were accepted');
}

const invalidInput = (servers: unknown, network?: { allow: string[] }): string => {
  const error = refusal(servers, network);
  expect(SandboxError.isInstance(error) && error.reason).toBe('invalid_input');
  expect(error.message).toMatch(/^\[@ngb\/runtime\] `mcpServers/);
  return error.message;
};

describe('checkMcpServers', () => {
  it('fills in the defaults', () => {
    expect(checkMcpServers(undefined)).toEqual([]);
    expect(
      checkMcpServers([
        { name: 'tiny', command: 'node', args: ['tiny.mjs'], env: { MODE: 'fast' } },
        { name: 'b2_x-y', command: 'b' },
      ]),
    ).toEqual([
      { name: 'tiny', command: 'node', args: ['tiny.mjs'], env: { MODE: 'fast' }, startTimeoutMs: 30_000 },
      { name: 'b2_x-y', command: 'b', args: [], env: {}, startTimeoutMs: 30_000 },
    ]);
  });

  it.each(['', 'Tiny', '-x', '_x', 'a.b', 'a b', 'x'.repeat(33), 'ü'])('refuses the name %j', (name) => {
    expect(invalidInput([{ name, command: 'node' }])).toMatch(/\[0\]\.name must be 1-32 lower-case letters/);
  });

  it('refuses a name used twice, a missing command and a list that is not one', () => {
    expect(
      invalidInput([
        { name: 'a', command: 'x' },
        { name: 'a', command: 'y' },
      ]),
    ).toMatch(/\[1\]\.name "a" is used twice/);
    expect(invalidInput([{ name: 'a', command: '  ' }])).toMatch(/\[0\]\.command must be a non-empty string/);
    expect(invalidInput([{ name: 'a' }])).toMatch(/\[0\]\.command/);
    expect(invalidInput({ name: 'a', command: 'x' })).toMatch(/must be a list/);
    expect(invalidInput([{ name: 'a', command: 'x', args: 'one' }])).toMatch(/\[0\]\.args must be a list of strings/);
    expect(invalidInput([{ name: 'a', command: 'x', startTimeoutMs: 0 }])).toMatch(/startTimeoutMs must be a whole number/);
    expect(invalidInput([{ name: 'a', command: 'x', startTimeoutMs: 1e9 }])).toMatch(/startTimeoutMs/);
    expect(invalidInput(Array.from({ length: 17 }, (_, index) => ({ name: `s${index}`, command: 'x' })))).toMatch(/at most 16/);
    expect(invalidInput([{ name: 'a', command: 'x', args: ['y'.repeat(70_000)] }])).toMatch(/at most 65536/);
    expect(invalidInput([{ name: 'a', command: 'x', args: ['y'.repeat(60_000)] }])).toMatch(/at most 4096 characters/);
    expect(invalidInput([{ name: 'a', command: 'x', env: { LONG: 'y'.repeat(5_000) } }])).toMatch(/at most 4096 characters/);
  });

  it('refuses secret-looking settings and arguments by the rule of `env`, never repeating the value', () => {
    const byName = invalidInput([{ name: 'gh', command: 'x', env: { GITHUB_TOKEN: 'abc' } }]);
    expect(byName).toMatch(/\[0\]\.env: "GITHUB_TOKEN" looks like the name of a secret/);
    const byValue = invalidInput([{ name: 'gh', command: 'x', env: { CHANNEL: slackToken } }]);
    expect(byValue).toMatch(/the value of "CHANNEL" looks like a Slack token/);
    expect(byValue).not.toContain(slackToken);
    const argument = invalidInput([{ name: 'gh', command: 'x', args: ['--verbose', `--token=${slackToken}`] }]);
    expect(argument).toMatch(/`mcpServers\[0\]\.args\[1\]` looks like a Slack token, and no secret may enter a sandbox/);
    expect(argument).not.toContain(slackToken);
    expect(invalidInput([{ name: 'gh', command: 'x', env: { COUNT: 3 } }])).toMatch(/env\.COUNT must be a string/);
  });

  const network = { allow: ['mcp.example.com', '*.tools.example.org'] };

  it('accepts a remote server whose host the network allows, telling the sandbox its URL and never its headers', () => {
    expect(
      checkMcpServers(
        [
          {
            name: 'gh',
            url: 'https://MCP.example.com/mcp',
            headers: { Authorization: 'Bearer ${GITHUB_MCP_TOKEN}', 'X-Client': 'ngb' },
          },
          { name: 'docs', url: 'http://docs.tools.example.org:8080/mcp?x=1', startTimeoutMs: 5_000 },
        ],
        network,
      ),
    ).toEqual([
      { name: 'gh', url: 'https://mcp.example.com/mcp', startTimeoutMs: 30_000 },
      { name: 'docs', url: 'http://docs.tools.example.org:8080/mcp?x=1', startTimeoutMs: 5_000 },
    ]);
  });

  it('refuses a remote server when the network is "none" or does not allow its host, saying how to fix it', () => {
    expect(invalidInput([{ name: 'gh', url: 'https://mcp.example.com/mcp' }])).toMatch(
      /\[0\] \("gh"\) is a remote MCP server, reached only through the egress proxy, and the network is "none"; allow its host: "network": \{ "allow": \["mcp.example.com"\] \}/,
    );
    expect(invalidInput([{ name: 'gh', url: 'https://other.example.com/mcp' }], network)).toMatch(
      /\[0\]\.url: its host other\.example\.com is not allowed by the network; add "other\.example\.com" to `network\.allow`/,
    );
    expect(invalidInput([{ name: 'gh', url: 'https://tools.example.org/mcp' }], network)).toMatch(/not allowed by the network/);
    expect(invalidInput([{ name: 'gh', url: 'https://127.0.0.1/mcp' }], network)).toMatch(/not allowed by the network/);
  });

  it('refuses a remote URL that is not http(s), carries credentials or a fragment, or comes with a command', () => {
    expect(invalidInput([{ name: 'a', url: 'ftp://mcp.example.com/' }], network)).toMatch(
      /\.url must be an http:\/\/ or https:\/\/ URL, not ftp:/,
    );
    expect(invalidInput([{ name: 'a', url: 'not a url' }], network)).toMatch(/\.url must be an http/);
    const withPassword = invalidInput([{ name: 'a', url: 'https://me:hunter2@mcp.example.com/' }], network);
    expect(withPassword).toMatch(/\.url must not carry credentials/);
    expect(withPassword).not.toContain('hunter2');
    expect(invalidInput([{ name: 'a', url: 'https://mcp.example.com/#top' }], network)).toMatch(/must not have a fragment/);
    expect(invalidInput([{ name: 'a', url: 'https://mcp.example.com/', command: 'node' }], network)).toMatch(
      /names a `url` and a `command`/,
    );
    expect(invalidInput([{ name: 'a', command: 'node', headers: { 'X-A': 'b' } }], network)).toMatch(/only a remote server/);
    expect(
      invalidInput(
        [
          { name: 'a', url: 'https://mcp.example.com/one', headers: { 'X-A': 'b' } },
          { name: 'b', url: 'https://mcp.example.com:443/two' },
        ],
        network,
      ),
    ).toMatch(/\[1\]\.url has the origin https:\/\/mcp\.example\.com of another server with headers/);
  });

  it.each([
    [
      { Authorization: `Bearer ${['ghp_', 'abcdefghijklmnopqrstuvwxyz012345'].join('')}` },
      /Authorization looks like a secret written in the config/,
    ],
    [{ Authorization: 'letmein' }, /Authorization looks like a secret/],
    [{ 'X-Api-Key': 'plain' }, /X-Api-Key looks like a secret/],
    [{ 'X-Note': slackToken }, /X-Note looks like a secret/],
    [{ 'X-Note': 'a\r\nX-Evil: 1' }, /X-Note holds a line break/],
    [{ 'X-Note': '${NOT A NAME}' }, /does not name a variable/],
    [{ 'X-Note': 'x'.repeat(4097) }, /longer than 4096 characters/],
    [{ Host: 'evil.example.com' }, /Host is set by the egress proxy itself/],
    [{ 'Content-Length': '0' }, /Content-Length is set by the egress proxy itself/],
    [{ 'Bad Name': 'x' }, /a header name must be an HTTP token/],
    [{ 'x-a': '1', 'X-A': '2' }, /X-A is named twice/],
    [Object.fromEntries(Array.from({ length: 17 }, (_, index) => [`X-${index}`, 'v'])), /names 17 headers; at most 16/],
    ['Bearer', /headers` must be an object/],
  ])('refuses the headers %j', (headers, problem) => {
    const message = invalidInput([{ name: 'gh', url: 'https://mcp.example.com/mcp', headers }], network);
    expect(message).toMatch(problem);
    expect(message).not.toContain(slackToken);
    expect(message).not.toContain('ghp_');
  });

  it('accepts credential headers whose secret part comes from the host, and plain headers that are not secrets', () => {
    const headers = { Authorization: 'Bearer ${GITHUB_MCP_TOKEN}', Cookie: 'session=${SESSION_VALUE}', 'X-Client': 'ngb/1.0' };
    expect(checkMcpServers([{ name: 'gh', url: 'https://mcp.example.com/mcp', headers }], network)).toHaveLength(1);
  });
});
