import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeProc, fakeProcPid, fakeProcUid, noCapabilities } from './__fixtures__/fake-proc';
import { createLineSplitter } from './line-splitter';
import { parseSandboxFrame, type SandboxFrame } from './protocol';
import { runSandboxProgram } from './sandbox-program';
import type { ToolReachOptions } from './tool-reach';

const tinyServer = fileURLToPath(new URL('./__fixtures__/tiny-mcp-server.mjs', import.meta.url));

let scratch: string[] = [];
afterEach(async () => {
  await Promise.all(scratch.map((directory) => rm(directory, { recursive: true, force: true })));
  scratch = [];
});

async function workspace(withAgentFolder = true): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'ngb-program-'));
  scratch.push(root);
  if (withAgentFolder) await mkdir(path.join(root, 'agent'));
  return root;
}

/** The program on in-memory stdio, as `bin.ts` runs it on the process's own. */
function run(args: string[], extra: { toolReach?: ToolReachOptions; env?: Record<string, string | undefined> } = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  const frames: SandboxFrame[] = [];
  const log: string[] = [];
  const splitter = createLineSplitter(
    1024 * 1024,
    (line) => {
      const parsed = parseSandboxFrame(line);
      frames.push(parsed.ok ? parsed.frame : ({ type: 'bad-line', line } as never));
    },
    () => {},
  );
  output.on('data', (chunk: Buffer) => splitter.push(chunk));
  const exitCode = runSandboxProgram({
    args,
    input,
    output,
    log: (line) => log.push(line),
    env: extra.env ?? { PATH: process.env.PATH },
    toolReach: extra.toolReach,
  });
  const response = async (id: string) => {
    for (let waited = 0; waited < 10_000; waited += 10) {
      const found = frames.find((frame) => frame.type === 'response' && frame.id === id);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no response to ${id}; log: ${log.join('\n')}`);
  };
  return {
    exitCode,
    frames,
    log,
    async call(id: string, tool: string, toolInput: unknown) {
      input.write(`${JSON.stringify({ type: 'request', id, tool, input: toolInput })}\n`);
      return response(id);
    },
    async listTools(id: string) {
      input.write(`${JSON.stringify({ type: 'list-tools', id })}\n`);
      return response(id);
    },
    end: () => input.end(),
  };
}

describe('the sandbox program', () => {
  it('prints its usage on --help and serves nothing', async () => {
    const program = run(['--help']);
    expect(await program.exitCode).toBe(0);
    expect(program.log.join('\n')).toMatch(/^usage: ngb-sandbox \[--root DIR\]/);
    expect(program.frames).toEqual([]);
  });

  it('refuses an unknown option or a bad --mcp-servers, saying what is wrong', async () => {
    const unknown = run(['--not-isolated', '--root-dir', '/workspace']);
    expect(await unknown.exitCode).toBe(1);
    expect(unknown.log.join('\n')).toMatch(/^\[@ngb\/sandbox\] Unknown option '--root-dir'.*\nusage: ngb-sandbox/s);

    const root = await workspace();
    const notJson = run(['--not-isolated', '--root', root, '--mcp-servers', '[{']);
    expect(await notJson.exitCode).toBe(1);
    expect(notJson.log).toEqual([expect.stringMatching(/^\[@ngb\/sandbox\] --mcp-servers is not JSON: /)]);
    const badName = JSON.stringify([{ name: 'Bad Name', command: 'node', args: [], env: {}, startTimeoutMs: 1000 }]);
    const invalid = run(['--not-isolated', '--root', root, '--mcp-servers', badName]);
    expect(await invalid.exitCode).toBe(1);
    expect(invalid.log.join('\n')).toMatch(/^\[@ngb\/sandbox\] --mcp-servers: /);
    expect([...notJson.frames, ...invalid.frames]).toEqual([]);
  });

  it('refuses to serve within its tools reach, saying why and how to fix it, before any frame', async () => {
    const root = await workspace();
    const program = run(['--root', root]);
    expect(await program.exitCode).toBe(1);
    expect(program.log.join('\n')).toMatch(
      /^\[@ngb\/sandbox\] refusing to serve: the tools it runs could write forged answers into its stdio, because .+--not-isolated/s,
    );
    expect(program.frames).toEqual([]);
  });

  it('serves when it proves its stdio out of reach, and tells the host so', async () => {
    const root = await workspace();
    const procRoot = await createFakeProc({ capBnd: noCapabilities });
    scratch.push(procRoot);
    const program = run(['--root', root], { toolReach: { procRoot, uid: fakeProcUid, pid: fakeProcPid } });
    await program.call('a', 'bash', { command: 'true' });
    expect(program.frames[0]).toMatchObject({ type: 'hello', outOfToolsReach: true });
    program.end();
    expect(await program.exitCode).toBe(0);
  });

  it('starts in ROOT/agent when it exists, else in ROOT, and passes its environment to tools', async () => {
    const withAgent = await workspace();
    const program = run(['--not-isolated', '--root', withAgent], { env: { PATH: process.env.PATH, GREETING: 'hi' } });
    expect(await program.call('a', 'bash', { command: 'echo "$PWD $GREETING"' })).toMatchObject({
      ok: true,
      output: { stdout: `${withAgent}/agent hi\n` },
    });
    expect(program.frames[0]).toMatchObject({
      type: 'hello',
      workspaceRoot: withAgent,
      workingDirectory: path.join(withAgent, 'agent'),
      outOfToolsReach: false,
    });
    program.end();
    expect(await program.exitCode).toBe(0);

    const bare = await workspace(false);
    const inRoot = run(['--not-isolated', '--root', bare]);
    expect(await inRoot.call('b', 'bash', { command: 'pwd' })).toMatchObject({ output: { stdout: `${bare}\n` } });
    inRoot.end();
    await inRoot.exitCode;
  });

  it('caps tool output at --max-output-bytes and searches with ripgrep unless --no-ripgrep', async () => {
    const root = await workspace();
    const program = run(['--not-isolated', '--root', root, '--cwd', root, '--max-output-bytes', '64']);
    const capped = await program.call('a', 'bash', { command: 'head -c 1000 /dev/zero | tr "\\0" x' });
    expect(capped).toMatchObject({ ok: true, output: { truncated: true } });
    expect(JSON.stringify(capped).match(/x+/)?.[0].length).toBeLessThanOrEqual(64);
    expect(await program.call('b', 'grep', { pattern: 'x' })).toMatchObject({ output: { engine: 'ripgrep' } });
    program.end();
    await program.exitCode;

    const withoutRipgrep = run(['--not-isolated', '--root', root, '--no-ripgrep']);
    expect(await withoutRipgrep.call('c', 'grep', { pattern: 'x' })).toMatchObject({ output: { engine: 'node' } });
    withoutRipgrep.end();
    await withoutRipgrep.exitCode;
  });

  it('offers the tools of the MCP servers it was given, and stops them when its input ends', async () => {
    const root = await workspace();
    const servers = [{ name: 'tiny', command: process.execPath, args: [tinyServer], env: {}, startTimeoutMs: 10_000 }];
    const program = run(['--not-isolated', '--root', root, '--mcp-servers', JSON.stringify(servers)]);
    const listed = await program.listTools('l');
    expect(listed).toMatchObject({ ok: true, output: { servers: [{ name: 'tiny', state: 'ready' }] } });
    program.end();
    expect(await program.exitCode).toBe(0);
  });
});
