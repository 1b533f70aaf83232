import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { errorMessage } from '@ngb/plugin-sdk';
import { startEgressForwarder } from './egress-forwarder';
import { type McpServerLaunch, parseMcpServersOption } from './mcp/mcp-server-launch';
import { failedMcpToolSource, type McpToolSource } from './mcp/mcp-tool-source';
import { createCgroupMemoryProbe } from './memory-probe';
import { startSandboxServer } from './sandbox-server';
import { findToolReach, type ToolReachOptions } from './tool-reach';

const usage = `usage: ngb-sandbox [--root DIR] [--cwd DIR] [--max-output-bytes N] [--no-ripgrep] [--not-isolated] [--mcp-servers JSON] [--egress-socket PATH]
  --root DIR       every path a file tool touches must stay inside DIR (default /workspace)
  --cwd DIR        where relative paths and bash start (default ROOT/agent when it exists, else ROOT)
  --mcp-servers JSON
                   MCP servers: stdio ones to start, as {"name","command","args","env","startTimeoutMs"},
                   and remote ones (streamable HTTP, through the egress proxy), as {"name","url","startTimeoutMs"};
                   their tools are offered as mcp__<server>__<tool>
  --egress-socket PATH  relay a loopback HTTP proxy to the host's egress proxy on this unix socket;
                   the tools get HTTP_PROXY and HTTPS_PROXY pointing at it
  --not-isolated   serve even though the tools can reach this process (the local runtime, which
                   is not isolated); without it the program refuses unless it proves they cannot`;

/** What the sandbox program runs with: its stdio and environment, and where it looks for proof of isolation. */
export interface SandboxProgramOptions {
  /** The arguments after the program's path. */
  args: string[];
  /** Where requests arrive (stdin). */
  input: Readable;
  /** Where frames go (stdout); nothing else writes to it. */
  output: Writable;
  /** Diagnostics (stderr). */
  log: (line: string) => void;
  /** The program's environment: passed to tools and MCP servers, searched for `rg`. */
  env: Readonly<Record<string, string | undefined>>;
  /** Where the isolation proof looks. @default the running process */
  toolReach?: ToolReachOptions;
  /** Where the memory probe reads the cgroup. @default '/sys/fs/cgroup' */
  cgroupRoot?: string;
}

/**
 * The sandbox program: parses its arguments, refuses to serve within the tools' reach unless told
 * it is not isolated, then serves the sandbox protocol until its input ends.
 * @returns the exit code: 0 once served or after `--help`, 1 when it refused or could not start
 */
export async function runSandboxProgram(options: SandboxProgramOptions): Promise<number> {
  try {
    await serve(options);
    return 0;
  } catch (error) {
    const badArguments = String((error as NodeJS.ErrnoException)?.code ?? '').startsWith('ERR_PARSE_ARGS');
    options.log(`[@ngb/sandbox] ${errorMessage(error)}${badArguments ? `\n${usage}` : ''}`);
    return 1;
  }
}

async function serve(options: SandboxProgramOptions): Promise<void> {
  const { values } = parseArgs({
    args: options.args,
    options: {
      root: { type: 'string', default: '/workspace' },
      cwd: { type: 'string' },
      'max-output-bytes': { type: 'string' },
      'no-ripgrep': { type: 'boolean', default: false },
      'egress-socket': { type: 'string' },
      'not-isolated': { type: 'boolean', default: false },
      'mcp-servers': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    options.log(usage);
    return;
  }
  const notIsolated = values['not-isolated'];
  if (!notIsolated) {
    const reasons = await findToolReach(options.toolReach);
    if (reasons.length > 0) {
      throw new Error(
        `refusing to serve: the tools it runs could write forged answers into its stdio, because ${reasons.join('; and ')}. ` +
          'Run it from the sandbox image (`node container-images/agent/build.mjs`), or pass --not-isolated where no isolation is claimed.',
      );
    }
  }
  const root = path.resolve(values.root);
  const agentDirectory = path.join(root, 'agent');
  const maxOutputBytes = values['max-output-bytes'] === undefined ? undefined : Number(values['max-output-bytes']);
  const mcpOption = values['mcp-servers'];
  const mcpServers = mcpOption === undefined ? [] : parseMcpServersOption(mcpOption);
  const workingDirectory = values.cwd ?? (existsSync(agentDirectory) ? agentDirectory : root);
  const egressSocket = values['egress-socket'];
  const forwarder = egressSocket === undefined ? undefined : await startEgressForwarder(egressSocket);
  const env = forwarder ? { ...options.env, ...forwarder.env } : options.env;
  const server = await startSandboxServer({
    input: options.input,
    output: options.output,
    workspaceRoot: root,
    workingDirectory,
    env,
    maxOutputBytes: Number.isFinite(maxOutputBytes) ? maxOutputBytes : undefined,
    ripgrepPath: values['no-ripgrep'] ? null : findOnPath('rg', options.env.PATH),
    memoryProbe: createCgroupMemoryProbe(options.cgroupRoot),
    outOfToolsReach: !notIsolated,
    log: options.log,
    mcp:
      mcpServers.length > 0
        ? loadMcpTools({
            servers: mcpServers,
            workingDirectory,
            env: options.env,
            egressForwarderPort: forwarder?.port,
            log: options.log,
          })
        : undefined,
  });
  try {
    await server.done;
  } finally {
    await forwarder?.close();
  }
}

function findOnPath(name: string, searchPath: string | undefined): string | null {
  for (const directory of (searchPath ?? '').split(path.delimiter)) {
    if (!directory) continue;
    const candidate = path.join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return null;
}

/**
 * The MCP client is a chunk of its own, loaded only when there are servers: a sandbox without any
 * never reads it. A chunk that cannot be loaded (an image built without it) fails every server, and
 * the sandbox serves its built-in tools on.
 */
function loadMcpTools(hub: {
  servers: McpServerLaunch[];
  workingDirectory: string;
  env: Readonly<Record<string, string | undefined>>;
  egressForwarderPort: number | undefined;
  log: (line: string) => void;
}): Promise<McpToolSource> {
  return import('./mcp/mcp-hub').then(
    ({ startMcpHub }) => startMcpHub(hub),
    (error: unknown) =>
      failedMcpToolSource(
        hub.servers.map((server) => server.name),
        `the sandbox program could not load its MCP client (${errorMessage(error)}); rebuild the sandbox image`,
      ),
  );
}
