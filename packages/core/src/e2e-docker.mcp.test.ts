import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Agent, AgentMcpServer } from '@ngb/plugin-sdk';
import { createDockerRuntime } from '@ngb/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { dockerEngineFor } from './__tests__/docker-engine-gate';
import { createHarness, type Harness } from './__tests__/gateway-harness';

// The tiny stdio MCP server the sandbox program's own tests use: a plain node script, no SDK.
const tinyServer = fileURLToPath(new URL('../../sandbox/src/__fixtures__/tiny-mcp-server.mjs', import.meta.url));
const image = process.env.NGB_TEST_IMAGE || 'ngb-agent:latest';

const engine = await dockerEngineFor('end-to-end MCP test');

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** An agent whose folder holds the tiny server, with these MCP servers in its sandbox settings. */
async function mcpAgent(current: Harness, mcpServers: AgentMcpServer[]): Promise<Agent> {
  const agent = await current.addAgent('andy');
  copyFileSync(tinyServer, join(current.directory, 'agents', 'andy', 'tiny-mcp.mjs'));
  return current.store.agents.update(agent.id, { sandbox: { network: 'none', mounts: [], mcpServers } });
}

const mcpEvents = (current: Harness) => current.events.filter((event) => event.type === 'sandbox.mcp');

describe.skipIf(!engine)('end to end: MCP servers in a real Docker sandbox', () => {
  it('offers the tiny server’s tools to the model, runs its call inside the sandbox, and the result reaches the model', {
    timeout: 120_000,
  }, async () => {
    const runtime = createDockerRuntime({ namespace: `core-mcp-${process.pid}`, image, maxSandboxes: 2, diskLimit: 'unlimited' });
    harness = await createHarness({
      runtime,
      script: [{ type: 'reply', toolCalls: [{ name: 'mcp__tiny__add', input: { a: 2, b: 3 } }] }],
    });
    const agent = await mcpAgent(harness, [{ name: 'tiny', command: 'node', args: ['tiny-mcp.mjs'] }]);
    await harness.addChat('c1', { agent });
    await harness.say('what is 2 + 3?');

    const [first, second] = harness.llm.requests();
    const add = first?.tools.find((tool) => tool.name === 'mcp__tiny__add');
    expect(add).toMatchObject({ description: '(MCP server "tiny") Adds two numbers.', inputSchema: { required: ['a', 'b'] } });
    expect(first?.tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['bash', 'mcp__tiny__whoami']));
    expect(second?.messages.at(-1)).toMatchObject({ role: 'tool', content: 'sum: 5' });
    expect(harness.texts()).toHaveLength(1);
    expect(harness.texts()[0]).toContain('sum: 5');
    expect(mcpEvents(harness)).toEqual([expect.objectContaining({ server: 'tiny', state: 'ready', tools: 7 })]);

    // The server ran inside the container: as the sandbox user, in the agent folder.
    harness.llm.script([{ type: 'reply', toolCalls: [{ name: 'mcp__tiny__whoami', input: {} }] }]);
    await harness.say('where does it run?');
    const where = harness.llm.requests()[1]?.messages.at(-1);
    expect(where).toMatchObject({ role: 'tool' });
    expect(JSON.parse(where?.role === 'tool' ? where.content : '{}')).toMatchObject({ cwd: '/workspace/agent', uid: 1000 });
    expect(mcpEvents(harness)).toHaveLength(1);
  });

  it('reports a server that never answers and one whose command does not exist; their tools are absent and the turn answers', {
    timeout: 120_000,
  }, async () => {
    const runtime = createDockerRuntime({ namespace: `core-mcp-${process.pid}`, image, maxSandboxes: 2, diskLimit: 'unlimited' });
    harness = await createHarness({ runtime, script: [{ type: 'reply', text: 'answered without them' }] });
    const agent = await mcpAgent(harness, [
      { name: 'silent', command: 'node', args: ['tiny-mcp.mjs', '--silent'], startTimeoutMs: 1_000 },
      { name: 'missing', command: 'no-such-mcp-server' },
    ]);
    await harness.addChat('c1', { agent });
    await harness.say('hello');

    expect(harness.texts()).toEqual(['answered without them']);
    const tools = harness.llm.requests()[0]?.tools.map((tool) => tool.name) ?? [];
    expect(tools).toContain('bash');
    expect(tools.filter((name) => name.startsWith('mcp__'))).toEqual([]);
    expect(mcpEvents(harness)).toEqual([
      expect.objectContaining({ server: 'silent', state: 'failed', tools: 0, problem: expect.stringMatching(/within 1000 ms/) }),
      expect.objectContaining({
        server: 'missing',
        state: 'failed',
        tools: 0,
        problem: expect.stringMatching(/no such program/),
      }),
    ]);
  });
});
