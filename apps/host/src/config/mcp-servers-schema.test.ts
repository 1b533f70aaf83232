import { join } from 'node:path';
import type { ConfigError } from '@ngb/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { configRefusal } from './__tests__/config-refusal';
import { parseConfig } from './load-config';

const file = join('/project', 'ngb.config.json');
const withServers = (servers: unknown) => JSON.stringify({ agents: { main: { mcpServers: servers } } });

const refusal = (servers: unknown): ConfigError => configRefusal(withServers(servers), file);

describe('config: agents.<folder>.mcpServers', () => {
  it('accepts stdio servers with arguments, settings and a start time limit', () => {
    const servers = [
      { name: 'tiny', command: 'node', args: ['tiny-mcp.mjs'], env: { TINY_MODE: 'fast' }, startTimeoutMs: 5_000 },
      { name: 'git-2', command: '/workspace/agent/bin/git-mcp' },
    ];
    const { config, warnings } = parseConfig(withServers(servers), file);
    expect(warnings).toEqual([]);
    expect(config.agents.main?.mcpServers).toEqual(servers);
  });

  it('names the key at fault', () => {
    expect(refusal([{ name: 'Tiny', command: 'node' }])).toMatchObject({ key: 'agents.main.mcpServers.0.name' });
    expect(refusal([{ name: 'Tiny', command: 'node' }]).message).toContain(
      'key "agents.main.mcpServers.0.name" must be 1-32 lower-case letters, digits, "_" or "-"',
    );
    expect(refusal([{ name: 'tiny', command: '' }]).message).toContain(
      'key "agents.main.mcpServers.0.command" must not be empty',
    );
    expect(refusal([{ name: 'tiny', command: 'node', args: 'x.mjs' }]).message).toContain(
      'key "agents.main.mcpServers.0.args" must be a list of strings',
    );
    expect(refusal([{ name: 'tiny', command: 'node', env: { 'BAD-NAME': 'x' } }]).message).toContain('is not a variable name');
    expect(refusal([{ name: 'tiny', command: 'node', startTimeoutMs: 0 }]).message).toContain(
      'key "agents.main.mcpServers.0.startTimeoutMs" must be from 1 to 600000 (ms)',
    );
    expect(refusal({ name: 'tiny', command: 'node' }).message).toContain('key "agents.main.mcpServers" must be a list of');
  });

  it('refuses two servers of one name', () => {
    const error = refusal([
      { name: 'tiny', command: 'node' },
      { name: 'tiny', command: 'python3' },
    ]);
    expect(error.message).toContain('key "agents.main.mcpServers" names two servers alike');
  });

  it('accepts a remote server with headers, and keeps it as written (variables unexpanded)', () => {
    const servers = [
      { name: 'gh', url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer ${GITHUB_MCP_TOKEN}' } },
    ];
    const { config, warnings } = parseConfig(JSON.stringify({ agents: { main: { mcpServers: servers } } }), file);
    expect(warnings).toEqual([]);
    expect(config.agents.main?.mcpServers).toEqual(servers);
  });

  it('refuses a server that is neither or both of stdio and remote, and a URL that is not http(s)', () => {
    expect(refusal([{ name: 'remote' }]).message).toContain(
      'key "agents.main.mcpServers.0" must name either "command" (a stdio server started in the sandbox) or "url" (a remote server)',
    );
    expect(refusal([{ name: 'remote', command: 'node', url: 'https://mcp.example.com/' }])).toMatchObject({
      key: 'agents.main.mcpServers.0',
    });
    expect(refusal([{ name: 'remote', url: 'ftp://mcp.example.com/' }])).toMatchObject({ key: 'agents.main.mcpServers.0.url' });
    expect(refusal([{ name: 'remote', url: 'https://mcp.example.com/', headers: ['x'] }])).toMatchObject({
      key: 'agents.main.mcpServers.0.headers',
    });
  });

  it('warns about unknown keys inside a server', () => {
    const { warnings } = parseConfig(withServers([{ name: 'tiny', command: 'node', cwd: '/tmp' }]), file);
    expect(warnings.join('\n')).toContain('agents.main.mcpServers.0.cwd');
  });
});
