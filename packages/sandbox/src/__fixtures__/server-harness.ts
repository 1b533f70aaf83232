import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createLineSplitter } from '../line-splitter';
import { startMcpHub } from '../mcp/mcp-hub';
import type { McpServerLaunch } from '../mcp/mcp-server-launch';
import { type SandboxFrame, parseSandboxFrame } from '../protocol';
import { type SandboxServerOptions, startSandboxServer } from '../sandbox-server';

/** A sandbox server on in-memory streams with a temporary workspace, and a way to talk to it. */
export interface ServerHarness {
  /** The workspace root; `agent/` below it is the working directory. */
  root: string;
  agentDirectory: string;
  /** Every frame the server sent, in order. */
  frames: SandboxFrame[];
  /** Lines the server sent that were not valid frames (there must be none). */
  badLines: string[];
  /** Writes a raw line (a newline is added). */
  sendLine(line: string): void;
  /** Sends a `list-tools` frame and waits for its response frame. */
  listTools(): Promise<SandboxFrame>;
  /** Sends a request and waits for its response frame. */
  request(tool: string, input: unknown, extra?: { id?: string; timeoutMs?: number; progress?: boolean }): Promise<SandboxFrame>;
  /** Waits for the next frame matching `predicate` (already received ones count). */
  waitFor(predicate: (frame: SandboxFrame) => boolean): Promise<SandboxFrame>;
  /** Ends the input, waits for the server to finish and removes the workspace. */
  close(): Promise<void>;
}

let counter = 0;

/**
 * Starts a server on a fresh workspace; with `mcpServers`, an MCP hub starts them in its agent
 * folder with the harness's tool environment, as the program does.
 */
export async function startServerHarness(
  options: Partial<SandboxServerOptions> = {},
  extra: { mcpServers?: McpServerLaunch[]; egressForwarderPort?: number } = {},
): Promise<ServerHarness> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'ngb-sandbox-test-'));
  const agentDirectory = path.join(root, 'agent');
  await mkdir(agentDirectory);
  const input = new PassThrough();
  const output = new PassThrough();
  const frames: SandboxFrame[] = [];
  const badLines: string[] = [];
  const waiters: { predicate: (frame: SandboxFrame) => boolean; resolve: (frame: SandboxFrame) => void }[] = [];
  const splitter = createLineSplitter(
    64 * 1024 * 1024,
    (line) => {
      const parsed = parseSandboxFrame(line);
      if (!parsed.ok) {
        badLines.push(line);
        return;
      }
      frames.push(parsed.frame);
      for (const waiter of [...waiters]) {
        if (waiter.predicate(parsed.frame)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(parsed.frame);
        }
      }
    },
    () => badLines.push('<oversized>'),
  );
  output.on('data', (chunk: Buffer) => splitter.push(chunk));
  const env = options.env ?? { PATH: process.env.PATH };
  const mcpServers = extra.mcpServers ?? [];
  const server = await startSandboxServer({
    input,
    output,
    workspaceRoot: root,
    workingDirectory: agentDirectory,
    env,
    ...(mcpServers.length > 0
      ? { mcp: Promise.resolve(startMcpHub({
              servers: mcpServers,
              workingDirectory: agentDirectory,
              env,
              egressForwarderPort: extra.egressForwarderPort,
            })) }
      : {}),
    ...options,
  });

  const waitFor = (predicate: (frame: SandboxFrame) => boolean) =>
    new Promise<SandboxFrame>((resolve) => {
      const seen = frames.find(predicate);
      if (seen) resolve(seen);
      else waiters.push({ predicate, resolve });
    });

  return {
    root,
    agentDirectory,
    frames,
    badLines,
    sendLine: (line) => input.write(`${line}\n`),
    request(tool, requestInput, extra = {}) {
      counter += 1;
      const id = extra.id ?? `r${counter}`;
      const { id: _id, ...rest } = extra;
      input.write(`${JSON.stringify({ type: 'request', id, tool, input: requestInput, ...rest })}\n`);
      return waitFor((frame) => frame.type === 'response' && frame.id === id);
    },
    listTools() {
      counter += 1;
      const id = `l${counter}`;
      input.write(`${JSON.stringify({ type: 'list-tools', id })}\n`);
      return waitFor((frame) => frame.type === 'response' && frame.id === id);
    },
    waitFor,
    async close() {
      input.end();
      await server.done;
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** The output of an ok response, or a thrown error naming the failure. */
export function outputOf<Output>(frame: SandboxFrame): Output {
  if (frame.type !== 'response') throw new Error(`expected a response, got ${frame.type}`);
  if (!frame.ok) throw new Error(`${frame.error.code}: ${frame.error.message}`);
  return frame.output as Output;
}

/** The error of a failed response. */
export function errorOf(frame: SandboxFrame): { code: string; message: string } {
  if (frame.type !== 'response' || frame.ok) throw new Error(`expected an error response, got ${JSON.stringify(frame)}`);
  return frame.error;
}
