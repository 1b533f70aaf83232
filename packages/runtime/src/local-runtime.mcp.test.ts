import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NotSupportedError, reportsMcpServers, SandboxError, type SandboxMcpServer, type SandboxSpec } from '@ngb/plugin-sdk';
import { sandboxToolNames } from '@ngb/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentFolders, createAgentFolders } from './__fixtures__/agent-folders';
import { buildSandboxProgram } from './__fixtures__/sandbox-program';
import { createLocalRuntime } from './local-runtime';

const tinyServer = fileURLToPath(new URL('../../sandbox/src/__fixtures__/tiny-mcp-server.mjs', import.meta.url));

let folders: AgentFolders;
let program: string;

beforeAll(async () => {
  folders = await createAgentFolders('local-mcp');
  program = await buildSandboxProgram();
});
afterAll(() => folders.remove());

/** An agent folder holding the tiny server, as an agent would keep one. */
async function spec(sessionId: string, mcpServers: SandboxMcpServer[]): Promise<SandboxSpec> {
  const agentFolder = await folders.make('agent');
  await copyFile(tinyServer, join(agentFolder, 'tiny-mcp.mjs'));
  return { sessionId, agentFolder, agentName: 'Local', isMain: false, mcpServers };
}

const tiny = (name: string, ...args: string[]): SandboxMcpServer => ({ name, command: 'node', args: ['tiny-mcp.mjs', ...args] });

async function failure(promise: Promise<unknown>): Promise<SandboxError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!SandboxError.isInstance(error)) throw new Error(`expected a SandboxError, got ${String(error)}`);
  return error;
}

describe('local runtime: MCP servers in the sandbox', () => {
  it('offers the tools of the servers that started, reports the others, and routes calls to tools/call', async () => {
    const runtime = createLocalRuntime({ program });
    try {
      const sandbox = await runtime.acquire(
        await spec('mcp', [
          tiny('tiny'),
          { ...tiny('silent', '--silent'), startTimeoutMs: 500 },
          { name: 'missing', command: 'no-such-mcp-server' },
        ]),
      );
      const names = (await sandbox.listTools()).map((tool) => tool.name);
      expect(names.slice(0, sandboxToolNames.length)).toEqual([...sandboxToolNames]);
      expect(names).toContain('mcp__tiny__add');
      expect(names.filter((name) => name.startsWith('mcp__silent__') || name.startsWith('mcp__missing__'))).toEqual([]);
      if (!reportsMcpServers(sandbox)) throw new Error('the local runtime reports no MCP servers');
      expect(await sandbox.mcpServers()).toEqual([
        { name: 'tiny', state: 'ready', tools: 7 },
        { name: 'silent', state: 'failed', tools: 0, problem: expect.stringMatching(/within 500 ms/) },
        { name: 'missing', state: 'failed', tools: 0, problem: expect.stringMatching(/no such program/) },
      ]);

      expect((await sandbox.call('mcp__tiny__add', { a: 2, b: 3 })).output).toBe('sum: 5');
      const refused = await failure(sandbox.call('mcp__tiny__fail', {}));
      expect(refused.reason).toBe('tool_failed');
      expect(refused.message).toBe('[@ngb/runtime] mcp__tiny__fail: tiny refuses: the answer is no');
      expect((await sandbox.call('bash', { command: 'echo still here' })).output).toMatchObject({ stdout: 'still here\n' });

      const died = await failure(sandbox.call('mcp__tiny__die', {}));
      expect(died.reason).toBe('tool_failed');
      expect(died.message).toMatch(/the MCP server "tiny" ended during the call: it exited with code 3/);
      expect((await sandbox.listTools()).map((tool) => tool.name).filter((name) => name.startsWith('mcp__'))).toEqual([]);
      expect((await sandbox.mcpServers())[0]).toMatchObject({ name: 'tiny', state: 'exited', tools: 0 });
      expect((await sandbox.call('bash', { command: 'echo the sandbox works on' })).output).toMatchObject({
        stdout: 'the sandbox works on\n',
      });
    } finally {
      await runtime.close();
    }
  });

  it('asks nothing of a sandbox without servers, and refuses bad servers before starting one', async () => {
    const runtime = createLocalRuntime({ program });
    try {
      const sandbox = await runtime.acquire(await spec('plain', []));
      expect((await sandbox.listTools()).map((tool) => tool.name)).toEqual([...sandboxToolNames]);
      expect(reportsMcpServers(sandbox) && (await sandbox.mcpServers())).toEqual([]);
      const badName = await failure(runtime.acquire(await spec('bad', [{ name: 'Bad Name', command: 'node' }])));
      expect(badName.reason).toBe('invalid_input');
      // A remote server needs an allowlist, which the local runtime cannot enforce: it refuses, never gives the network.
      const remoteServer: SandboxMcpServer = { name: 'remote', url: 'https://mcp.example.com/mcp' };
      const withoutNetwork = await failure(runtime.acquire(await spec('remote', [remoteServer])));
      expect(withoutNetwork.message).toMatch(
        /is a remote MCP server, reached only through the egress proxy, and the network is "none"/,
      );
      const remote = await runtime
        .acquire({ ...(await spec('remote', [remoteServer])), network: { allow: ['mcp.example.com'] } })
        .catch((error: unknown) => error);
      expect(NotSupportedError.isInstance(remote)).toBe(true);
      expect((remote as Error).message).toMatch(/the local runtime cannot limit the network/);
      expect((await runtime.list()).map((info) => info.sessionId)).toEqual(['plain']);
    } finally {
      await runtime.close();
    }
  });
});
