import path from 'node:path';
import type { EgressRequestRecord, Sandbox, SandboxSpec } from '@ngb/plugin-sdk';
import { reportsMcpServers } from '@ngb/plugin-sdk';
import type { BashOutput } from '@ngb/sandbox';
import Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTinyHttpMcpServer, type TinyHttpMcpServer } from '../../sandbox/src/__fixtures__/tiny-http-mcp-server';
import { type AgentFolders, createAgentFolders } from './__fixtures__/agent-folders';
import { describeWithDocker, testImage } from './__fixtures__/docker-gate';
import { sandboxLabels } from './docker-container-options';
import { createDockerRuntime, type DockerRuntime } from './docker-runtime';
import type { EgressLookup } from './egress-proxy';

// A real sandbox (no network of its own) whose MCP client reaches a remote MCP server written for the
// test, on this host's loopback, only through the host's egress proxy (the explicit per-address
// opt-in stands the loopback server in for a public host). The proxy adds the server's credential:
// the sandbox, its environment and what it was told never hold it.
const credential = ['remote', 'mcp', 'credential', String(process.pid)].join('-');
const namespace = `test-remote-mcp-${process.pid}`;
let folders: AgentFolders;
let remote: TinyHttpMcpServer;
let runtime: DockerRuntime;
let sandbox: Sandbox;
const records: EgressRequestRecord[] = [];

const lookup: EgressLookup = async (hostname) => {
  if (hostname !== 'mcp.example.com') throw new Error(`getaddrinfo ENOTFOUND ${hostname}`);
  return [{ address: '127.0.0.1', family: 4 }];
};

describeWithDocker('docker runtime: a remote MCP server through the egress proxy', () => {
  beforeAll(async () => {
    folders = await createAgentFolders('remote-mcp');
    remote = await startTinyHttpMcpServer();
    runtime = createDockerRuntime({
      image: testImage,
      namespace,
      diskLimit: 'unlimited',
      egress: {
        socketFolder: path.join(folders.base, 'egress'),
        lookup,
        ports: [remote.port],
        allowPrivateAddresses: ['127.0.0.1'],
        headerVariables: { TINY_MCP_TOKEN: credential },
      },
    });
    runtime.onEgressRequest((record) => records.push(record));
    const spec: SandboxSpec = {
      sessionId: 'remote-mcp',
      agentFolder: await folders.make('remote'),
      agentName: 'remote',
      isMain: false,
      network: { allow: ['mcp.example.com', 'gone.example.com'] },
      mcpServers: [
        {
          name: 'far',
          url: `http://mcp.example.com:${remote.port}/mcp`,
          headers: { Authorization: 'Bearer ${TINY_MCP_TOKEN}' },
          startTimeoutMs: 20_000,
        },
        { name: 'gone', url: `http://gone.example.com:${remote.port}/mcp`, startTimeoutMs: 20_000 },
      ],
    };
    sandbox = await runtime.acquire(spec);
  }, 120_000);

  afterAll(async () => {
    await runtime?.close();
    await remote?.close();
    await folders?.remove();
  });

  it("lists the remote server's tools as mcp__far__*, and reports the unreachable one as failed", async () => {
    const names = (await sandbox.listTools()).map((tool) => tool.name);
    expect(names).toContain('mcp__far__whoami');
    expect(names.some((name) => name.startsWith('mcp__gone__'))).toBe(false);
    if (!reportsMcpServers(sandbox)) throw new Error('the Docker sandbox reports its MCP servers');
    const [far, gone] = await sandbox.mcpServers();
    expect(far).toEqual({ name: 'far', state: 'ready', tools: 1 });
    expect(gone).toMatchObject({ name: 'gone', state: 'failed', tools: 0 });
    expect(gone?.problem).toMatch(/could not resolve gone\.example\.com/);
  });

  it('calls its tool; the server sees the credential the proxy added, on every request, in absolute form through the proxy', async () => {
    const result = await sandbox.call('mcp__far__whoami', {}, { timeoutMs: 30_000, turnId: 'turn-remote' });
    expect(result.output).toBe('tiny-http answered; authorized: yes');
    const posts = remote.requests.filter((request) => request.method === 'POST');
    expect(posts.map((request) => request.rpcMethod)).toEqual([
      'initialize',
      'notifications/initialized',
      'tools/list',
      'tools/call',
    ]);
    for (const request of remote.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${credential}`);
      expect(request.target.startsWith('/mcp')).toBe(true);
      expect(request.headers.host).toBe(`mcp.example.com:${remote.port}`);
    }
    // A request's record follows its connection's close.
    const calls = () => records.filter((record) => record.host === 'mcp.example.com' && record.turnId === 'turn-remote');
    for (let attempt = 0; attempt < 100 && calls().length === 0; attempt += 1)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls()).toMatchObject([{ method: 'POST', port: remote.port, address: '127.0.0.1', allowed: true }]);
    expect(JSON.stringify(records)).not.toContain(credential);
  });

  it("keeps the credential out of the sandbox: not in its environment, its processes' arguments or the container's settings", async () => {
    const result = await sandbox.call(
      'bash',
      {
        command:
          'env; cat /proc/[0-9]*/cmdline 2>/dev/null | tr "\\0" " "; cat /proc/[0-9]*/environ 2>/dev/null | tr "\\0" "\\n"',
      },
      { timeoutMs: 30_000 },
    );
    const output = result.output as BashOutput;
    // The processes' arguments are readable: the sandbox program's own were read, MCP servers included.
    expect(output.stdout).toContain('mcp.example.com');
    expect(`${output.stdout}${output.stderr}`).not.toContain(credential);
    const docker = new Docker({ socketPath: '/var/run/docker.sock' });
    const [container] = await docker.listContainers({ filters: { label: [`${sandboxLabels.namespace}=${namespace}`] } });
    const inspected = await docker.getContainer(container?.Id as string).inspect();
    expect(JSON.stringify(inspected)).toContain('mcp.example.com');
    expect(JSON.stringify(inspected)).not.toContain(credential);
    expect(JSON.stringify(inspected)).not.toContain('TINY_MCP_TOKEN');
  });
});
