import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalRuntime } from '@ngb/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';

// The tiny stdio MCP server the sandbox program's own tests use: a plain node script, no SDK.
const tinyServer = fileURLToPath(new URL('../../sandbox/src/__fixtures__/tiny-mcp-server.mjs', import.meta.url));

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const toolNames = (current: Harness, index: number) => current.llm.requests()[index]?.tools.map((tool) => tool.name) ?? [];

describe('gateway: MCP servers of an agent (local runtime, the same sandbox program)', () => {
  it('starts the sandbox for the tool list, passes an isError answer to the model, and drops the tools of a server that died', async () => {
    harness = await createHarness({
      runtime: createLocalRuntime({ maxSandboxes: 2 }),
      script: [
        { type: 'reply', toolCalls: [{ name: 'mcp__tiny__fail', input: {} }] },
        { type: 'reply', toolCalls: [{ name: 'mcp__tiny__die', input: {} }] },
        { type: 'reply', text: 'it died' },
        { type: 'reply', text: 'second turn' },
      ],
    });
    const created = await harness.addAgent('andy');
    copyFileSync(tinyServer, join(harness.directory, 'agents', 'andy', 'tiny-mcp.mjs'));
    const agent = await harness.store.agents.update(created.id, {
      sandbox: { network: 'none', mounts: [], mcpServers: [{ name: 'tiny', command: 'node', args: ['tiny-mcp.mjs'] }] },
    });
    await harness.addChat('c1', { agent });

    await harness.say('try the tools');
    expect(toolNames(harness, 0)).toContain('mcp__tiny__fail');
    // The OpenAI wire format has no error flag: the provider marks the text instead.
    expect(harness.llm.requests()[1]?.messages.at(-1)).toMatchObject({
      role: 'tool',
      content: 'Error: tool_failed: [@ngb/runtime] mcp__tiny__fail: tiny refuses: the answer is no',
    });
    expect(harness.llm.requests()[2]?.messages.at(-1)).toMatchObject({
      role: 'tool',
      content: expect.stringMatching(/^Error: tool_failed: .*the MCP server "tiny" ended during the call: it exited with code 3/),
    });
    expect(harness.texts()).toEqual(['it died']);

    await harness.say('again');
    expect(harness.texts()).toEqual(['it died', 'second turn']);
    expect(toolNames(harness, 3)).toContain('bash');
    expect(toolNames(harness, 3).filter((name) => name.startsWith('mcp__'))).toEqual([]);
    expect(harness.events.filter((event) => event.type === 'sandbox.mcp')).toEqual([
      expect.objectContaining({ server: 'tiny', state: 'ready', tools: 7 }),
      expect.objectContaining({ server: 'tiny', state: 'exited', tools: 0, problem: expect.stringMatching(/code 3/) }),
    ]);
  });
});
