import { ConfigError } from '@ngb/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { type LoadedConfig, parseConfig } from '../config/load-config';
import { agentMcpServersProblem, checkAgentMcpServers } from './agent-mcp-servers';

// Secret-looking values are assembled at run time so that no scanner mistakes this file for a leak.
const githubToken = ['ghp_', 'abcdefghijklmnopqrstuvwxyz0123456789'].join('');

function loaded(servers: unknown): LoadedConfig {
  const { config, warnings } = parseConfig(
    JSON.stringify({ agents: { main: { mcpServers: servers } } }),
    '/project/ngb.config.json',
  );
  return { config, warnings, paths: { configFile: '/project/ngb.config.json' } } as unknown as LoadedConfig;
}

describe('checkAgentMcpServers', () => {
  it('passes servers the sandbox would start', async () => {
    await expect(checkAgentMcpServers(loaded([{ name: 'tiny', command: 'node', env: { MODE: 'x' } }]))).resolves.toBeUndefined();
  });

  it('refuses a secret-looking setting or argument by the runtime’s rule, naming the key and never the value', async () => {
    const byName = await checkAgentMcpServers(loaded([{ name: 'gh', command: 'node', env: { GITHUB_TOKEN: 'x' } }])).catch(
      (error: unknown) => error,
    );
    expect(ConfigError.isInstance(byName) && byName.key).toBe('agents.main.mcpServers');
    expect((byName as Error).message).toMatch(
      /^\/project\/ngb\.config\.json: key "agents\.main\.mcpServers": `mcpServers`\[0\]\.env: "GITHUB_TOKEN" looks like the name of a secret/,
    );
    const problem = await agentMcpServersProblem([{ name: 'gh', command: 'node', args: [`--token=${githubToken}`] }]);
    expect(problem).toMatch(/args\[0\]` looks like a GitHub token, and no secret may enter a sandbox/);
    expect(problem).not.toContain(githubToken);
  });
});
