import { NotSupportedError, SandboxError } from '@ngb/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { checkMcpServers } from './check-mcp-servers';

// Secret-looking values are assembled at run time so that no scanner mistakes this file for a leak.
const slackToken = ['xoxb-', '1234567890-', 'abcdefghijklmnop'].join('');

function refusal(servers: unknown): Error {
  try {
    checkMcpServers(servers);
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('the servers were accepted');
}

const invalidInput = (servers: unknown): string => {
  const error = refusal(servers);
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

  it('refuses a remote server with NotSupportedError: it needs the egress proxy', () => {
    const error = refusal([{ name: 'remote', url: 'https://mcp.example.com/mcp' }]);
    expect(NotSupportedError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/^\[@ngb\/runtime\] `mcpServers\[0\]` \("remote"\) is a remote MCP server/);
    expect(error.message).toMatch(/egress proxy/);
  });
});
