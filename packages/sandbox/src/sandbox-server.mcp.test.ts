import { fileURLToPath } from 'node:url';
import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import { errorOf, outputOf, type ServerHarness, startServerHarness } from './__fixtures__/server-harness';
import type { McpServerLaunch } from './mcp/mcp-server-launch';
import { mcpToolLimits, type ToolList, toolListSchema } from './tool-list';

const tinyServer = fileURLToPath(new URL('./__fixtures__/tiny-mcp-server.mjs', import.meta.url));

function tiny(name: string, mode?: string, extra: Partial<McpServerLaunch> = {}): McpServerLaunch {
  return {
    name,
    command: process.execPath,
    args: mode ? [tinyServer, mode] : [tinyServer],
    env: {},
    startTimeoutMs: 10_000,
    ...extra,
  };
}

async function toolList(harness: ServerHarness): Promise<ToolList> {
  return v.parse(toolListSchema, outputOf(await harness.listTools()));
}

let harness: ServerHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('sandbox server: MCP servers', () => {
  it('answers list-tools with an empty list when it has no MCP server', async () => {
    harness = await startServerHarness();
    expect(await toolList(harness)).toEqual({ tools: [], servers: [] });
  });

  it('lists a server’s tools under mapped names and runs them by those names', async () => {
    harness = await startServerHarness({}, { mcpServers: [tiny('tiny')] });
    const list = await toolList(harness);
    expect(list.servers).toEqual([{ name: 'tiny', state: 'ready', tools: 7 }]);
    expect(list.tools.map((tool) => tool.name)).toEqual([
      'mcp__tiny__add',
      'mcp__tiny__fail',
      'mcp__tiny__die',
      'mcp__tiny__picture',
      'mcp__tiny__whoami',
      'mcp__tiny__dotted_name',
      'mcp__tiny__hang',
    ]);
    expect(list.tools[0]).toEqual({
      name: 'mcp__tiny__add',
      description: '(MCP server "tiny") Adds two numbers.',
      inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
    });
    expect(outputOf(await harness.request('mcp__tiny__add', { a: 2, b: 3 }))).toBe('sum: 5');
    expect(outputOf(await harness.request('mcp__tiny__dotted_name', {}))).toBe('dotted answered');
  });

  it('starts a server in the agent folder with the tools’ environment and its own settings, and stops it at the end', async () => {
    const server = tiny('tiny', undefined, { env: { TINY_MODE: 'checked' } });
    harness = await startServerHarness({ env: { PATH: process.env.PATH } }, { mcpServers: [server] });
    const where = JSON.parse(outputOf<string>(await harness.request('mcp__tiny__whoami', {}))) as { cwd: string; pid: number };
    expect(where).toMatchObject({ cwd: harness.agentDirectory, mode: 'checked' });
    await harness.close();
    harness = undefined;
    expect(() => process.kill(where.pid, 0)).toThrow(/ESRCH/);
  });

  it('reports a server that never answers, one that does not exist and one that exits; their tools are absent', async () => {
    harness = await startServerHarness(
      {},
      {
        mcpServers: [
          tiny('silent', '--silent', { startTimeoutMs: 300 }),
          { name: 'missing', command: 'no-such-mcp-server', args: [], env: {}, startTimeoutMs: 10_000 },
          tiny('broken', '--exit-at-start'),
          tiny('tiny'),
        ],
      },
    );
    const list = await toolList(harness);
    expect(list.servers).toEqual([
      {
        name: 'silent',
        state: 'failed',
        tools: 0,
        problem: expect.stringMatching(/did not start and list its tools within 300 ms/),
      },
      {
        name: 'missing',
        state: 'failed',
        tools: 0,
        problem: expect.stringMatching(
          /^cannot start "no-such-mcp-server": no such program \(looked up on the sandbox.s PATH, relative paths from the agent folder\)$/,
        ),
      },
      {
        name: 'broken',
        state: 'failed',
        tools: 0,
        problem: expect.stringMatching(
          /exited with code 2 before it listed its tools.*stderr ended with: tiny: cannot open its database/,
        ),
      },
      { name: 'tiny', state: 'ready', tools: 7 },
    ]);
    expect(list.tools.every((tool) => tool.name.startsWith('mcp__tiny__'))).toBe(true);
    expect(errorOf(await harness.request('mcp__silent__add', { a: 1, b: 2 }))).toMatchObject({ code: 'unknown_tool' });
    expect(outputOf(await harness.request('bash', { command: 'echo built-ins work' }))).toMatchObject({
      stdout: 'built-ins work\n',
    });
  });

  it('turns isError into tool_failed with the tool’s text', async () => {
    harness = await startServerHarness({}, { mcpServers: [tiny('tiny')] });
    expect(errorOf(await harness.request('mcp__tiny__fail', {}))).toEqual({
      code: 'tool_failed',
      message: 'tiny refuses: the answer is no',
    });
  });

  it('caps a tool’s output like other tools and describes images without their bytes', async () => {
    harness = await startServerHarness({ maxOutputBytes: 4096 }, { mcpServers: [tiny('tiny')] });
    const text = outputOf<string>(await harness.request('mcp__tiny__picture', {}));
    expect(Buffer.byteLength(text)).toBeLessThan(4300);
    expect(text).toMatch(/^\[image: image\/png, 300000 bytes; not shown\]\nxxx/);
    expect(text).toContain('[ngb: output truncated:');
  });

  it('caps what a server says of its tools: a 1 MB description and a huge schema never leave the sandbox', async () => {
    harness = await startServerHarness({}, { mcpServers: [tiny('tiny', '--huge-description')] });
    const response = await harness.listTools();
    expect(JSON.stringify(response).length).toBeLessThan(64 * 1024);
    const add = (await toolList(harness)).tools.find((tool) => tool.name === 'mcp__tiny__add');
    expect(add?.description.length).toBeLessThanOrEqual(mcpToolLimits.descriptionChars);
    expect(add?.description).toMatch(/\[description cut: 1048576 characters in total\]/);
    expect(add?.inputSchema).toEqual({ type: 'object' });
  });

  it('reports a server that dies during a call, and its tools vanish from the next list', async () => {
    harness = await startServerHarness({}, { mcpServers: [tiny('tiny'), tiny('other')] });
    await toolList(harness);
    const error = errorOf(await harness.request('mcp__tiny__die', {}));
    expect(error.code).toBe('tool_failed');
    expect(error.message).toMatch(/the MCP server "tiny" ended during the call: it exited with code 3/);
    expect(error.message).toMatch(/tiny: dying on purpose/);
    const list = await toolList(harness);
    expect(list.servers[0]).toMatchObject({ name: 'tiny', state: 'exited', tools: 0, problem: expect.stringMatching(/code 3/) });
    expect(list.tools.some((tool) => tool.name.startsWith('mcp__tiny__'))).toBe(false);
    expect(list.tools.some((tool) => tool.name === 'mcp__other__add')).toBe(true);
    expect(errorOf(await harness.request('mcp__tiny__add', { a: 1, b: 1 }))).toMatchObject({
      code: 'tool_failed',
      message: expect.stringMatching(/is not running/),
    });
  });

  it('stops waiting for a tool at the call’s time limit, and refuses input that is not an object', async () => {
    harness = await startServerHarness({}, { mcpServers: [tiny('tiny')] });
    expect(errorOf(await harness.request('mcp__tiny__hang', {}, { timeoutMs: 300 }))).toMatchObject({ code: 'timeout' });
    expect(errorOf(await harness.request('mcp__tiny__add', [1, 2]))).toMatchObject({ code: 'invalid_input' });
    expect(errorOf(await harness.request('mcp__tiny__nope', {}))).toMatchObject({ code: 'unknown_tool' });
    expect(outputOf(await harness.request('mcp__tiny__add', { a: 1, b: 1 }))).toBe('sum: 2');
  });
});
