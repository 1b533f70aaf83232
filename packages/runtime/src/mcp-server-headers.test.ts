import { ConfigError } from '@ngb/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { mcpHeaderInjections, mcpHeaderVariables } from './mcp-server-headers';

const template = (name: string) => `\${${name}}`;

describe('mcpHeaderInjections', () => {
  it("fills in the host's values per origin, for remote servers with headers only", () => {
    const servers = [
      {
        name: 'gh',
        url: 'https://mcp.example.com:443/mcp',
        headers: { Authorization: `Bearer ${template('GH_MCP')}`, 'X-Client': 'ngb' },
      },
      { name: 'plain', url: 'http://other.example.com:8080/mcp' },
      { name: 'local', command: 'node' },
    ];
    expect(mcpHeaderInjections(servers, { GH_MCP: 'value-1', UNUSED: 'x' })).toEqual([
      {
        origin: 'https://mcp.example.com',
        path: '/mcp',
        headers: [
          ['Authorization', 'Bearer value-1'],
          ['X-Client', 'ngb'],
        ],
      },
    ]);
    expect(mcpHeaderVariables(servers[0]?.headers)).toEqual(['GH_MCP']);
  });

  it('refuses a variable the host did not give, naming it, and a value that would end the header line', () => {
    const servers = [
      { name: 'gh', url: 'https://mcp.example.com/mcp', headers: { Authorization: `Bearer ${template('GH_MCP')}` } },
    ];
    let error: unknown;
    try {
      mcpHeaderInjections(servers, {});
    } catch (caught) {
      error = caught;
    }
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).key).toBe('egress.headerVariables');
    expect((error as Error).message).toMatch(
      /names \$\{GH_MCP\}, which the host did not provide; set GH_MCP in the gateway's environment/,
    );
    expect(() => mcpHeaderInjections(servers, { GH_MCP: 'abc\r\nX-Evil: 1' })).toThrow(/holds a line break/);
    expect(() => mcpHeaderInjections(servers, { toString: 'x' } as unknown as Record<string, string>)).toThrow(/did not provide/);
  });
});
