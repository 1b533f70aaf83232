import type { Readable, Writable } from 'node:stream';
import * as v from 'valibot';
import { createLineSplitter } from './line-splitter';
import type { McpToolSource } from './mcp/mcp-tool-source';
import type { MemoryProbe } from './memory-probe';
import {
  describeIssues,
  encodeFrame,
  type HostFrame,
  type ListToolsFrame,
  MAX_FRAME_BYTES,
  parseHostFrame,
  type RequestFrame,
  SANDBOX_PROTOCOL_VERSION,
  type SandboxErrorCode,
  type SandboxFrame,
} from './protocol';
import { ToolError } from './tool-error';
import type { ToolList } from './tool-list';
import { isSandboxToolName, type SandboxToolName, sandboxToolInputSchemas, sandboxToolNames } from './tool-schemas';
import { runBash } from './tools/bash-tool';
import { editFileTool, readFileTool, writeFileTool } from './tools/file-tools';
import { grepTool } from './tools/grep-tool';
import { listFilesTool } from './tools/list-files-tool';
import { stoppedError, type ToolContext } from './tools/tool-context';
import { openWorkspace } from './workspace-paths';

/** Options of {@link startSandboxServer}. */
export interface SandboxServerOptions {
  /** Where requests arrive (the program's stdin). */
  input: Readable;
  /** Where frames go (the program's stdout); nothing else may write to it. */
  output: Writable;
  /** Every path a file tool touches must resolve inside it (`/workspace` in the image). */
  workspaceRoot: string;
  /** Where relative paths and bash start (`/workspace/agent` in the image). @default workspaceRoot */
  workingDirectory?: string;
  /** Environment of the processes tools start. @default {} */
  env?: Readonly<Record<string, string | undefined>>;
  /** Cap of each output stream a tool returns, in bytes. @default 102400 */
  maxOutputBytes?: number;
  /** Time limit of a request that names none. @default 120000 */
  defaultTimeoutMs?: number;
  /** Path of ripgrep, or null to search in Node. @default null */
  ripgrepPath?: string | null;
  /** Tells out-of-memory kills apart from other kills; none means no such diagnosis. */
  memoryProbe?: MemoryProbe;
  /**
   * Told to the host in `hello`: true when the program proved that the tools it runs cannot reach
   * its stdio (see `findToolReach`). @default false
   */
  outOfToolsReach?: boolean;
  /** Diagnostics (the program writes them to stderr). @default drops them */
  log?: (line: string) => void;
  /**
   * The tools of the sandbox's MCP servers, answered to `list-tools` and called like built-ins.
   * A promise, so that `hello` never waits for the MCP code to load; closed when the server ends.
   * @default none: `list-tools` answers an empty list
   */
  mcp?: Promise<McpToolSource>;
}

/** A running server. */
export interface SandboxServer {
  /** Resolves when the input has ended and every call still running then has answered. */
  readonly done: Promise<void>;
}

type ToolRunner = (input: never, context: ToolContext) => Promise<unknown>;

const runners: Record<SandboxToolName, ToolRunner> = {
  bash: runBash,
  read_file: readFileTool,
  write_file: writeFileTool,
  edit_file: editFileTool,
  list_files: listFilesTool,
  grep: grepTool,
};

/**
 * Serves the sandbox protocol: sends `hello`, then answers each request line with exactly one
 * response. A malformed line is answered with a `protocol` error and never ends the server.
 * @throws Error when the workspace directories do not exist
 */
export async function startSandboxServer(options: SandboxServerOptions): Promise<SandboxServer> {
  const workspace = await openWorkspace(options.workspaceRoot, options.workingDirectory);
  const log = options.log ?? (() => {});
  const running = new Map<string, AbortController>();
  const settled = new Set<Promise<void>>();
  const send = (frame: SandboxFrame) => {
    if (!options.output.writableEnded) options.output.write(encodeFrame(frame));
  };
  const fail = (id: string | null, code: SandboxErrorCode, message: string) =>
    send({ type: 'response', id, ok: false, error: { code, message } });

  const handle = (frame: HostFrame) => {
    if (frame.type === 'cancel') {
      running.get(frame.id)?.abort('cancelled');
      return;
    }
    if (running.has(frame.id)) {
      fail(null, 'protocol', `request id "${frame.id}" is already running; ids must be unique`);
      return;
    }
    const call = (frame.type === 'list-tools' ? listTools(frame) : runRequest(frame)).finally(() => settled.delete(call));
    settled.add(call);
  };

  const listTools = async (frame: ListToolsFrame) => {
    const controller = new AbortController();
    running.set(frame.id, controller);
    try {
      const source = await options.mcp;
      const output: ToolList = source ? await source.list() : { tools: [], servers: [] };
      send({ type: 'response', id: frame.id, ok: true, output });
    } catch (error) {
      log(`[@ngb/sandbox] listing the MCP tools failed: ${(error as Error).stack ?? String(error)}`);
      fail(frame.id, 'tool_failed', `listing the MCP tools failed: ${describeSystemError(error)}`);
    } finally {
      running.delete(frame.id);
    }
  };

  const runRequest = async (frame: RequestFrame) => {
    const builtIn = isSandboxToolName(frame.tool);
    if (!builtIn && !options.mcp) {
      fail(frame.id, 'unknown_tool', `unknown tool "${frame.tool}"; tools: ${sandboxToolNames.join(', ')}`);
      return;
    }
    const parsed = builtIn
      ? v.safeParse(sandboxToolInputSchemas[frame.tool as SandboxToolName], frame.input)
      : v.safeParse(mcpInputSchema, frame.input);
    if (!parsed.success) {
      fail(frame.id, 'invalid_input', `invalid input for ${frame.tool}: ${describeIssues(parsed.issues)}`);
      return;
    }
    const controller = new AbortController();
    running.set(frame.id, controller);
    const timeoutMs = frame.timeoutMs ?? options.defaultTimeoutMs ?? 120_000;
    const timer = setTimeout(() => controller.abort('timeout'), timeoutMs);
    const context: ToolContext = {
      workspace,
      signal: controller.signal,
      timeoutMs,
      onProgress: frame.progress ? (stream, text) => send({ type: 'progress', id: frame.id, stream, text }) : undefined,
      maxOutputBytes: options.maxOutputBytes ?? 100 * 1024,
      env: options.env ?? {},
      ripgrepPath: options.ripgrepPath ?? null,
      memoryProbe: options.memoryProbe,
    };
    try {
      const output = builtIn
        ? await (runners[frame.tool as SandboxToolName] as (input: unknown, context: ToolContext) => Promise<unknown>)(
            parsed.output,
            context,
          )
        : await (await (options.mcp as Promise<McpToolSource>)).call(
            frame.tool,
            parsed.output as Record<string, unknown>,
            context,
          );
      if (controller.signal.aborted) throw stoppedError(context);
      send({ type: 'response', id: frame.id, ok: true, output });
    } catch (error) {
      if (error instanceof ToolError) fail(frame.id, error.code, error.message);
      else if (controller.signal.aborted) {
        const stopped = stoppedError(context);
        fail(frame.id, stopped.code, stopped.message);
      } else {
        log(`[@ngb/sandbox] ${frame.tool} failed: ${(error as Error).stack ?? String(error)}`);
        fail(frame.id, 'tool_failed', `${frame.tool} failed: ${describeSystemError(error)}`);
      }
    } finally {
      clearTimeout(timer);
      running.delete(frame.id);
    }
  };

  const splitter = createLineSplitter(
    MAX_FRAME_BYTES,
    (line) => {
      if (line.trim() === '') return;
      const parsed = parseHostFrame(line);
      if (parsed.ok) handle(parsed.frame);
      else fail(parsed.id, 'protocol', `malformed request: ${parsed.message}`);
    },
    () => fail(null, 'protocol', `request line longer than ${MAX_FRAME_BYTES} bytes; it was dropped`),
  );

  send({
    type: 'hello',
    protocol: SANDBOX_PROTOCOL_VERSION,
    tools: [...sandboxToolNames],
    pid: process.pid,
    workspaceRoot: workspace.root,
    workingDirectory: workspace.workingDirectory,
    outOfToolsReach: options.outOfToolsReach ?? false,
  });

  const done = new Promise<void>((resolve) => {
    let finished = false;
    const finish = async () => {
      if (finished) return;
      finished = true;
      splitter.end();
      // Calls already running finish (each has its time limit) and answer before the server ends.
      await Promise.allSettled([...settled]);
      const mcp = await options.mcp?.catch(() => undefined);
      await mcp?.close().catch((error: unknown) => log(`[@ngb/sandbox] stopping the MCP servers failed: ${String(error)}`));
      resolve();
    };
    options.input.on('data', (chunk: Buffer | string) => splitter.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)));
    options.input.once('end', finish);
    options.input.once('error', (error) => {
      log(`[@ngb/sandbox] input failed: ${error.message}`);
      void finish();
    });
  });
  return { done };
}

// An MCP tool's input is the server's to check against its schema; here it only has to be an object.
const mcpInputSchema = v.custom<Record<string, unknown>>(
  (input) => typeof input === 'object' && input !== null && !Array.isArray(input),
  'an MCP tool takes an object of arguments',
);

function describeSystemError(error: unknown): string {
  const errno = error as NodeJS.ErrnoException;
  if (errno?.code === 'EACCES' || errno?.code === 'EPERM') return `permission denied (${errno.path ?? ''})`;
  if (errno?.code === 'EROFS') return `read-only file system (${errno.path ?? ''})`;
  return errno?.message ?? String(error);
}
