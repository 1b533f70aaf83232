import { ConfigError } from '@ngb/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { type LoadedConfig, parseConfig } from '../config/load-config';
import { agentMcpServersProblem, checkAgentMcpServers, mcpHeaderVariableValues } from './agent-mcp-servers';

// Secret-looking values are assembled at run time so that no scanner mistakes this file for a leak.
const githubToken = ['ghp_', 'abcdefghijklmnopqrstuvwxyz0123456789'].join('');

function loaded(servers: unknown, network?: unknown): LoadedConfig {
  const { config, warnings } = parseConfig(
    JSON.stringify({ agents: { main: { mcpServers: servers, ...(network === undefined ? {} : { network }) } } }),
    '/project/ngb.config.json',
  );
  return { config, warnings, paths: { configFile: '/project/ngb.config.json' } } as unknown as LoadedConfig;
}

describe('checkAgentMcpServers', () => {
  it('passes servers the sandbox would start', async () => {
    await expect(
      checkAgentMcpServers(loaded([{ name: 'tiny', command: 'node', env: { MODE: 'x' } }]), {}),
    ).resolves.toBeUndefined();
  });

  it('refuses a secret-looking setting or argument by the runtime’s rule, naming the key and never the value', async () => {
    const byName = await checkAgentMcpServers(loaded([{ name: 'gh', command: 'node', env: { GITHUB_TOKEN: 'x' } }]), {}).catch(
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

  const remote = { name: 'gh', url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer ${GITHUB_MCP_TOKEN}' } };
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => new Error('accepted'),
      (error: unknown) => error as Error,
    );

  it('passes a remote server whose host the network allows, once the environment has its header variable', async () => {
    const config = loaded([remote], { allow: ['mcp.example.com'] });
    await expect(checkAgentMcpServers(config, { GITHUB_MCP_TOKEN: 'from-the-host' })).resolves.toBeUndefined();
    expect(
      await mcpHeaderVariableValues(config.config, { GITHUB_MCP_TOKEN: 'from-the-host', OTHER: 'x' }, '/project/ngb.config.json'),
    ).toEqual({
      GITHUB_MCP_TOKEN: 'from-the-host',
    });
  });

  it('refuses a remote server when the network is "none" or does not allow its host, saying to add the domain', async () => {
    const none = await refusal(checkAgentMcpServers(loaded([remote]), { GITHUB_MCP_TOKEN: 'x' }));
    expect(ConfigError.isInstance(none) && none.key).toBe('agents.main.mcpServers');
    expect(none.message).toMatch(
      /key "agents\.main\.mcpServers": `mcpServers`\[0\] \("gh"\) is a remote MCP server, reached only through the egress proxy, and the network is "none"/,
    );
    const other = await refusal(
      checkAgentMcpServers(loaded([remote], { allow: ['other.example.com'] }), { GITHUB_MCP_TOKEN: 'x' }),
    );
    expect(ConfigError.isInstance(other) && other.key).toBe('agents.main.mcpServers');
    expect(other.message).toMatch(
      /its host mcp\.example\.com is not allowed by the network; add "mcp\.example\.com" to `network\.allow`/,
    );
  });

  it('refuses a header variable the environment lacks, naming the key and the variable', async () => {
    const error = await refusal(checkAgentMcpServers(loaded([remote], { allow: ['mcp.example.com'] }), {}));
    expect(ConfigError.isInstance(error) && error.key).toBe('agents.main.mcpServers.0.headers.Authorization');
    expect(error.message).toMatch(
      /names \$\{GITHUB_MCP_TOKEN\}, which is not set: set GITHUB_MCP_TOKEN in the gateway's environment/,
    );
  });

  it('refuses a plain header value that looks like a secret, never repeating it', async () => {
    const plain = { ...remote, headers: { Authorization: `Bearer ${githubToken}` } };
    const error = await refusal(checkAgentMcpServers(loaded([plain], { allow: ['mcp.example.com'] }), {}));
    expect(error.message).toMatch(
      /headers`\.Authorization looks like a secret written in the config; write its secret part as \$\{NAME\}/,
    );
    expect(error.message).not.toContain(githubToken);
  });
});
