import type { Sandbox, SandboxRuntime, SandboxToolDefinition } from '@ngb/plugin-sdk';
import { createLocalRuntime } from '@ngb/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

// A tool that only a running sandbox offers, as an MCP server started inside it would.
const mcpEcho: SandboxToolDefinition = {
  name: 'mcp_echo',
  description: 'Echoes its text.',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
};

/** The local runtime, whose sandboxes list one more tool than the runtime's built-in ones. */
function runtimeWithSandboxTool(): SandboxRuntime {
  const local = createLocalRuntime({ maxSandboxes: 2 });
  const wrap = (sandbox: Sandbox): Sandbox => ({
    get id() {
      return sandbox.id;
    },
    sessionId: sandbox.sessionId,
    call: async (tool, input, options) =>
      tool === mcpEcho.name
        ? { output: `echo: ${(input as { text: string }).text}`, durationMs: 0 }
        : sandbox.call(tool, input, options),
    listTools: async () => [...(await sandbox.listTools()), mcpEcho],
    release: () => sandbox.release(),
    close: () => sandbox.close(),
  });
  return { ...local, acquire: async (spec, options) => wrap(await local.acquire(spec, options)) };
}

const toolNames = (current: Harness, request: number) => current.llm.requests()[request]?.tools.map((tool) => tool.name) ?? [];

describe('the tools of a turn are assembled per turn', () => {
  it("offers the runtime's built-in tools without starting a sandbox, and a running sandbox's own list once it runs", async () => {
    const runtime = runtimeWithSandboxTool();
    harness = await createHarness({
      runtime,
      script: [
        { type: 'reply', text: 'no tool needed' },
        { type: 'reply', toolCalls: [{ name: 'bash', input: { command: 'echo started' } }] },
        { type: 'reply', text: 'ran bash' },
        { type: 'reply', toolCalls: [{ name: 'mcp_echo', input: { text: 'hi' } }] },
        { type: 'reply', text: 'echoed' },
      ],
    });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });

    await harness.say('first');
    expect(harness.events.filter((event) => event.type === 'sandbox.acquired')).toHaveLength(0);
    expect(await runtime.list()).toEqual([]);
    const builtIn = runtime.tools.map((tool) => tool.name);
    expect(toolNames(harness, 0)).toEqual(expect.arrayContaining(builtIn));
    expect(toolNames(harness, 0)).not.toContain('mcp_echo');

    await harness.say('second');
    expect(harness.events.filter((event) => event.type === 'sandbox.acquired')).toHaveLength(1);
    expect(toolNames(harness, 1)).not.toContain('mcp_echo');

    await harness.say('third');
    expect(toolNames(harness, 3)).toEqual(expect.arrayContaining([...builtIn, 'mcp_echo']));
    expect(toolNames(harness, 3).filter((name) => name === 'bash')).toHaveLength(1);
    const toolResult = harness.llm.requests()[4]?.messages.at(-1);
    expect(toolResult).toMatchObject({ role: 'tool', content: 'echo: hi' });
    expect(harness.texts()).toEqual(['no tool needed', 'ran bash', 'echoed']);
  });
});
