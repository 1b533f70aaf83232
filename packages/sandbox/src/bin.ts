#!/usr/bin/env node
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { errorMessage } from '@ngb/plugin-sdk';
import { startEgressForwarder } from './egress-forwarder';
import { type McpServerLaunch, parseMcpServersOption } from './mcp/mcp-server-launch';
import { failedMcpToolSource, type McpToolSource } from './mcp/mcp-tool-source';
import { createCgroupMemoryProbe } from './memory-probe';
import { startSandboxServer } from './sandbox-server';
import { findToolReach } from './tool-reach';

// The sandbox program: speaks the sandbox protocol on stdin/stdout, diagnostics on stderr.
// In the image it runs as `tini -- /opt/ngb/sandbox/node /opt/ngb/sandbox/bin.js` with the
// defaults below; both binaries are execute-only, which keeps the processes out of the tools' reach.

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

async function main(): Promise<void> {
  const { values } = parseArgs({
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
    process.stderr.write(`${usage}\n`);
    return;
  }
  const notIsolated = values['not-isolated'];
  if (!notIsolated) {
    const reasons = await findToolReach();
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
  const server = await startSandboxServer({
    input: process.stdin,
    output: process.stdout,
    workspaceRoot: root,
    workingDirectory,
    env: forwarder ? { ...process.env, ...forwarder.env } : process.env,
    maxOutputBytes: Number.isFinite(maxOutputBytes) ? maxOutputBytes : undefined,
    ripgrepPath: values['no-ripgrep'] ? null : findOnPath('rg', process.env.PATH),
    memoryProbe: createCgroupMemoryProbe(),
    outOfToolsReach: !notIsolated,
    log,
    mcp: mcpServers.length > 0 ? loadMcpTools(mcpServers, workingDirectory, forwarder?.port) : undefined,
  });
  await server.done;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * The MCP client is a chunk of its own, loaded only when there are servers: a sandbox without any
 * never reads it. A chunk that cannot be loaded (an image built without it) fails every server, and
 * the sandbox serves its built-in tools on.
 */
function loadMcpTools(
  servers: McpServerLaunch[],
  workingDirectory: string,
  egressForwarderPort: number | undefined,
): Promise<McpToolSource> {
  return import('./mcp/mcp-hub').then(
    ({ startMcpHub }) => startMcpHub({ servers, workingDirectory, env: process.env, egressForwarderPort, log }),
    (error: unknown) =>
      failedMcpToolSource(
        servers.map((server) => server.name),
        `the sandbox program could not load its MCP client (${errorMessage(error)}); rebuild the sandbox image`,
      ),
  );
}

process.on('SIGTERM', () => process.exit(143));
main().then(
  () => process.exit(0),
  (error: unknown) => {
    const badArguments = String((error as NodeJS.ErrnoException)?.code ?? '').startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`[@ngb/sandbox] ${errorMessage(error)}\n${badArguments ? `${usage}\n` : ''}`);
    process.exit(1);
  },
);
