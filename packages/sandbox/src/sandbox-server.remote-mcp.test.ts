import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import { errorOf, outputOf, type ServerHarness, startServerHarness } from './__fixtures__/server-harness';
import { startTinyHttpMcpServer, type TinyHttpMcpServer } from './__fixtures__/tiny-http-mcp-server';
import { type ToolList, toolListSchema } from './tool-list';

// The tiny server stands in for the egress forwarder here: what it receives is what the forwarder
// would relay to the host's egress proxy.
let harness: ServerHarness | undefined;
let remote: TinyHttpMcpServer | undefined;
afterEach(async () => {
  await harness?.close();
  await remote?.close();
  harness = undefined;
  remote = undefined;
});

async function toolList(server: ServerHarness): Promise<ToolList> {
  return v.parse(toolListSchema, outputOf(await server.listTools()));
}

describe('sandbox server: remote MCP servers (streamable HTTP)', () => {
  it('reaches a remote server only through the egress forwarder, in absolute form, and offers its tools', async () => {
    remote = await startTinyHttpMcpServer();
    harness = await startServerHarness(
      {},
      {
        mcpServers: [{ name: 'far', url: 'https://mcp.example.com/mcp?v=1', startTimeoutMs: 10_000 }],
        egressForwarderPort: remote.port,
      },
    );
    const list = await toolList(harness);
    expect(list.servers).toEqual([{ name: 'far', state: 'ready', tools: 1 }]);
    expect(list.tools.map((tool) => tool.name)).toEqual(['mcp__far__whoami']);
    // Answered as a server-sent event stream.
    expect(outputOf(await harness.request('mcp__far__whoami', {}))).toBe('tiny-http answered; authorized: no');
    const posts = remote.requests.filter((request) => request.method === 'POST');
    expect(posts.map((request) => request.rpcMethod)).toEqual([
      'initialize',
      'notifications/initialized',
      'tools/list',
      'tools/call',
    ]);
    for (const request of remote.requests) {
      expect(request.target).toBe('https://mcp.example.com/mcp?v=1');
      expect(request.headers.host).toBe('mcp.example.com');
    }
    expect(remote.requests.some((request) => request.method === 'CONNECT')).toBe(false);
  });

  it('reports a remote server as failed when the sandbox has no egress forwarder, and works on', async () => {
    harness = await startServerHarness(
      {},
      { mcpServers: [{ name: 'far', url: 'https://mcp.example.com/mcp', startTimeoutMs: 5_000 }] },
    );
    const list = await toolList(harness);
    expect(list.tools).toEqual([]);
    expect(list.servers).toEqual([
      {
        name: 'far',
        state: 'failed',
        tools: 0,
        problem: 'it is a remote server, and this sandbox has no egress proxy (its network is "none")',
      },
    ]);
    expect(errorOf(await harness.request('mcp__far__whoami', {}))).toMatchObject({ code: 'unknown_tool' });
  });

  it('reports a remote server it cannot reach as failed, saying why', async () => {
    harness = await startServerHarness(
      {},
      {
        // Port 1: nothing listens, as when the forwarder is gone.
        mcpServers: [{ name: 'far', url: 'http://mcp.example.com/mcp', startTimeoutMs: 5_000 }],
        egressForwarderPort: 1,
      },
    );
    const [server] = (await toolList(harness)).servers;
    expect(server).toMatchObject({ name: 'far', state: 'failed', tools: 0 });
    expect(server?.problem).toMatch(/ECONNREFUSED/);
  });
});
