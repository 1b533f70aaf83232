import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import { killProcessGroup } from '../process-group';
import { ToolError } from '../tool-error';
import { type McpServerStatus, mcpToolLimits } from '../tool-list';
import type { ToolContext } from '../tools/tool-context';
import { mcpResultText } from './mcp-content';
import { createEgressFetch } from './mcp-egress-fetch';
import { isRemoteMcpLaunch, type McpServerLaunch } from './mcp-server-launch';
import { createChildStdioTransport } from './mcp-stdio-transport';
import { blankControlCharacters, type McpListedTool } from './mcp-tool-definition';

/** What {@link startMcpServerConnection} needs besides the launch. */
export interface McpConnectionOptions {
  launch: McpServerLaunch;
  /** Where the server starts (the agent folder). */
  workingDirectory: string;
  /** The tools' environment; the launch's own settings are added to it. */
  env: Readonly<Record<string, string | undefined>>;
  /** Longest JSON-RPC message read from the server; a longer one is dropped. */
  maxMessageBytes: number;
  /** The loopback port of the egress forwarder, which a remote server is reached through; none without network. */
  egressForwarderPort?: number;
  log: (line: string) => void;
}

/** One MCP server (a process, or a remote endpoint) and the client speaking to it. */
export interface McpServerConnection {
  readonly name: string;
  /** Resolves (never rejects) once the server has listed its tools or failed. */
  readonly settled: Promise<void>;
  status(): McpServerStatus;
  /** The tools it listed (at most `mcpToolLimits.toolsPerServer`); empty unless it is ready. */
  tools(): readonly McpListedTool[];
  /** Calls one of its tools by the name the server gave it. @throws ToolError */
  call(tool: string, input: Record<string, unknown>, context: ToolContext): Promise<string>;
  /** Stops it, with every process it started. */
  close(): Promise<void>;
}

/** Pages of `tools/list` read at most: a server that keeps paging is cut off. */
const maxListPages = 20;
const stderrTailBytes = 2048;

// Output schemas are not checked: the result is shown to the model as capped text either way, and a
// server's schema is not compiled into code here (which is what a JSON Schema validator would do).
const acceptAnyOutput: jsonSchemaValidator = {
  getValidator: () => (input) => ({ valid: true, data: input as never, errorMessage: undefined }),
};

function spawnProblem(command: string, error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT')
    return `cannot start "${command}": no such program (looked up on the sandbox's PATH, relative paths from the agent folder)`;
  if (error.code === 'EACCES') return `cannot start "${command}": it is not executable`;
  return `cannot start "${command}": ${error.message}`;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.());

/**
 * Starts one stdio MCP server the way the sandbox runs every tool: its own process group, the agent
 * folder as working directory, the tools' environment, and pipes of its own (never the program's
 * stdio); or connects to a remote one over streamable HTTP through the egress forwarder. It must
 * answer `initialize` and list its tools within `launch.startTimeoutMs`, else it is stopped and
 * reported as failed.
 */
export function startMcpServerConnection(options: McpConnectionOptions): McpServerConnection {
  const { launch, log } = options;
  const name = launch.name;
  let state: McpServerStatus['state'] | 'starting' = 'starting';
  let problem: string | undefined;
  let listed: McpListedTool[] = [];
  let stderrTail = Buffer.alloc(0);
  let client: Client | undefined;
  let child: ChildProcessWithoutNullStreams | undefined;
  let closing = false;
  let spawnFailed = false;

  const stderrText = () => {
    const text = blankControlCharacters(stderrTail.toString('utf8')).trim();
    return text === '' ? '' : `; its stderr ended with: ${text.slice(-800)}`;
  };
  const report = (text: string) =>
    text.length <= mcpToolLimits.problemChars ? text : `${text.slice(0, mcpToolLimits.problemChars - 3)}...`;

  let endedHow: Promise<string>;
  if (isRemoteMcpLaunch(launch)) {
    // No process to end: a remote server's failures reach the client as failed requests.
    endedHow = new Promise<string>(() => {});
  } else {
    try {
      child = spawn(launch.command, launch.args, {
        cwd: options.workingDirectory,
        env: { ...options.env, ...launch.env },
        detached: true,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const started = child;
      started.stderr.on('data', (chunk: Buffer) => {
        stderrTail = Buffer.concat([stderrTail, chunk]);
        if (stderrTail.length > stderrTailBytes) stderrTail = stderrTail.subarray(stderrTail.length - stderrTailBytes);
      });
      endedHow = new Promise((resolve) => {
        started.once('error', (error) => {
          spawnFailed = true;
          resolve(spawnProblem(launch.command, error));
        });
        started.once('exit', (code, signal) => {
          // What it wrote last may still be on its way through the stderr pipe.
          const how = signal ? `it was killed by ${signal}` : `it exited with code ${code}`;
          void Promise.race([new Promise((done) => started.stderr.once('close', done)), delay(200)]).then(() => resolve(how));
        });
      });
    } catch (error) {
      spawnFailed = true;
      endedHow = Promise.resolve(spawnProblem(launch.command, error as NodeJS.ErrnoException));
    }
  }
  const beforeListing = (how: string) => (spawnFailed ? how : `${how} before it listed its tools`);

  const markEnded = () => {
    if (state !== 'ready' || closing) return;
    state = 'exited';
    problem = 'it stopped answering';
    void endedHow.then((how) => {
      problem = report(`${how}${stderrText()}`);
      log(`[@ngb/sandbox] MCP server "${name}" ended: ${problem}`);
    });
    if (child) void killProcessGroup(child);
  };

  const connectTransport = async (): Promise<Transport> => {
    if (!isRemoteMcpLaunch(launch)) {
      if (!child) throw new Error(await endedHow);
      return createChildStdioTransport(child, options.maxMessageBytes);
    }
    if (options.egressForwarderPort === undefined) {
      throw new Error('it is a remote server, and this sandbox has no egress proxy (its network is "none")');
    }
    return new StreamableHTTPClientTransport(new URL(launch.url), { fetch: createEgressFetch(options.egressForwarderPort) });
  };

  const start = async (signal: AbortSignal) => {
    const transport = await connectTransport();
    client = new Client({ name: 'ngb-sandbox', version: '1.0.0' }, { capabilities: {}, jsonSchemaValidator: acceptAnyOutput });
    let reportedErrors = 0;
    client.onerror = (error) => {
      reportedErrors += 1;
      if (reportedErrors <= 3) log(`[@ngb/sandbox] MCP server "${name}": ${error.message.slice(0, 300)}`);
    };
    client.onclose = markEnded;
    const requestOptions = { signal, timeout: launch.startTimeoutMs };
    await client.connect(transport, requestOptions);
    const byName = new Map<string, McpListedTool>();
    let cursor: string | undefined;
    for (let page = 0; page < maxListPages; page += 1) {
      const answer = await client.listTools(cursor === undefined ? undefined : { cursor }, requestOptions);
      // A name listed twice is offered once, as first listed.
      for (const tool of answer.tools as McpListedTool[]) if (!byName.has(tool.name)) byName.set(tool.name, tool);
      cursor = answer.nextCursor;
      if (cursor === undefined || byName.size > mcpToolLimits.toolsPerServer) break;
    }
    listed = [...byName.values()].slice(0, mcpToolLimits.toolsPerServer);
    if (cursor !== undefined || byName.size > mcpToolLimits.toolsPerServer) {
      problem = `it lists more than ${mcpToolLimits.toolsPerServer} tools; only the first ${listed.length} are offered`;
    }
  };

  const settled = (async () => {
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new Error(`it did not start and list its tools within ${launch.startTimeoutMs} ms`)),
      launch.startTimeoutMs,
    );
    const timedOut = new Promise<never>((_, reject) =>
      deadline.signal.addEventListener('abort', () => reject(deadline.signal.reason), { once: true }),
    );
    const endedFirst = endedHow.then((how) => {
      throw new Error(beforeListing(how));
    });
    try {
      await Promise.race([start(deadline.signal), timedOut, endedFirst]);
      // Its connection may have closed after it answered and before it counted as ready.
      if (!client?.transport) throw new Error('it stopped answering');
      state = 'ready';
      log(`[@ngb/sandbox] MCP server "${name}" is ready with ${listed.length} tools`);
    } catch (error) {
      state = 'failed';
      listed = [];
      let why = (error as Error).message;
      if (child && !deadline.signal.aborted) {
        // The client sees its connection close before the process's exit is known: say how it ended.
        const how = await Promise.race([endedHow, delay(1_000).then(() => undefined)]);
        if (how !== undefined) why = beforeListing(how);
      }
      const ended = child === undefined || child.exitCode !== null || child.signalCode !== null;
      problem = report(`${why}${ended || deadline.signal.aborted ? stderrText() : ''}`);
      log(`[@ngb/sandbox] MCP server "${name}" failed: ${problem}`);
      await client?.close().catch(() => {});
      if (child) await killProcessGroup(child);
    } finally {
      clearTimeout(timer);
      endedFirst.catch(() => {});
      timedOut.catch(() => {});
    }
  })();

  return {
    name,
    settled,
    status: () => ({
      name,
      state: state === 'starting' ? 'failed' : state,
      tools: state === 'ready' ? listed.length : 0,
      ...(state === 'starting' ? { problem: 'it is still starting' } : problem === undefined ? {} : { problem }),
    }),
    tools: () => (state === 'ready' ? listed : []),
    async call(tool, input, context) {
      if (state !== 'ready' || !client) {
        throw new ToolError('tool_failed', `the MCP server "${name}" is not running${problem ? `: ${problem}` : ''}`);
      }
      try {
        const result = await client.callTool({ name: tool, arguments: input }, undefined, {
          signal: context.signal,
          // The sandbox answers `timeout` itself when the call's time limit passes; this is a backstop.
          timeout: Math.min(context.timeoutMs + 5_000, 2 ** 31 - 1),
        });
        const text = mcpResultText(result, context.maxOutputBytes);
        if (result.isError === true) throw new ToolError('tool_failed', text === '' ? 'the tool failed and said nothing' : text);
        return text;
      } catch (error) {
        if (error instanceof ToolError || context.signal.aborted) throw error;
        if (state !== 'ready') {
          await Promise.race([endedHow, delay(1_000)]);
          throw new ToolError(
            'tool_failed',
            `the MCP server "${name}" ended during the call: ${problem ?? 'it stopped answering'}; its tools are gone until the sandbox is replaced`,
          );
        }
        throw new ToolError(
          'tool_failed',
          `the MCP server "${name}" did not answer the call: ${(error as Error).message.slice(0, 2_000)}`,
        );
      }
    },
    async close() {
      closing = true;
      await client?.close().catch(() => {});
      if (child) await killProcessGroup(child);
    },
  };
}
