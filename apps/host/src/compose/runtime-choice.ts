import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type Logger, NotSupportedError, SandboxError, type SandboxRuntime } from '@ngb/plugin-sdk';
import type { NgbConfig } from '../config/config-schema';
import type { Env } from '../config/load-config';
import type { ProjectPaths } from '../config/project-paths';
import { mcpHeaderVariableValues } from './agent-mcp-servers';
import { type DockerProbe, dockerFix, probeDockerEngine } from './docker-engine';
import { listAgentFolders } from './sync-agents';

/** The drivers a command line can ask for with `--runtime`. */
const runtimeDrivers = ['docker', 'local'] as const;

/** A driver named with `--runtime`. */
export type RuntimeDriver = (typeof runtimeDrivers)[number];

/** Whether a value names a runtime driver (`docker` or `local`). */
export function isRuntimeDriver(value: string): value is RuntimeDriver {
  return (runtimeDrivers as readonly string[]).includes(value);
}

/** The runtime a command got, and what to tell the user about it. */
export interface RuntimeChoice {
  runtime: SandboxRuntime;
  driver: RuntimeDriver;
  /** Shown once, plainly, when tools are not isolated. */
  warning?: string;
}

/** What decides the runtime. */
export interface RuntimeRequest {
  config: NgbConfig;
  paths: ProjectPaths;
  env: Env;
  /** `--runtime` on the command line; wins over `runtime.driver` in the config. */
  driverFlag?: RuntimeDriver;
  /** The engine's answer when it was asked for already; asked for here otherwise. */
  dockerProbe?: Promise<DockerProbe>;
  /** `serve` refuses the local runtime while a remote chat channel is enabled. */
  purpose: 'serve' | 'conversation';
  /** Enabled channels that people outside this machine can write to. */
  remoteChannels: readonly string[];
}

/** A decided runtime, checked but not started yet (nothing is written before the decision). */
export interface RuntimePlan {
  request: RuntimeRequest;
  driver: RuntimeDriver;
  /** The engine's socket, for Docker. */
  socketPath?: string;
  warning?: string;
}

/** The driver a command runs: `--runtime` when given, else the config's (`auto` means Docker). */
export function runtimeDriverOf(config: NgbConfig, driverFlag: RuntimeDriver | undefined): RuntimeDriver {
  return driverFlag ?? (config.runtime.driver === 'local' ? 'local' : 'docker');
}

/**
 * Decides the runtime. The sandbox is not optional: `auto` and `docker` mean Docker, and when no
 * engine answers the command is refused with the fix. The local runtime runs only when
 * `--runtime local` or `"runtime.driver": "local"` chooses it, and then with a NOT ISOLATED warning.
 * @throws SandboxError `engine_unavailable` when Docker is wanted and no engine answers
 * @throws ConfigError when `serve` would run remote chats on the local runtime without
 *   `allowLocalRuntime: true`
 */
export async function planRuntime(request: RuntimeRequest): Promise<RuntimePlan> {
  const { config, env, paths } = request;
  const driver = runtimeDriverOf(config, request.driverFlag);
  if (driver === 'docker') {
    const probe = await (request.dockerProbe ?? probeDockerEngine(env));
    if (!probe.ok) {
      throw new SandboxError(
        'engine_unavailable',
        `refusing to run tools without a sandbox: the Docker engine is not answering at ${probe.endpoint.display} ` +
          `(${probe.error}); fix: ${dockerFix(probe)} (to run tools on this machine NOT ISOLATED instead, pass --runtime local)`,
      );
    }
    if (probe.endpoint.socketPath === undefined) {
      throw new NotSupportedError(
        `DOCKER_HOST=${env.DOCKER_HOST} is not supported by ngb yet: use a unix socket (unix:///var/run/docker.sock)`,
      );
    }
    const uid = process.getuid?.();
    if (config.runtime.diskLimits === 'on' && uid !== 0) {
      throw new ConfigError(
        `agents' size limits (agents.<folder>.diskLimitMb, default 1024 MiB) need root: each agent folder is loop-mounted from its own disk image, ` +
          `and ngb runs as ${uid === undefined ? 'a user without uids' : `uid ${uid}`}. Run ngb as root, or set "runtime": { "diskLimits": "off" } ` +
          'in ngb.config.json to let agents write to this disk without a limit',
        { key: 'runtime.diskLimits' },
      );
    }
    return { request, driver, socketPath: probe.endpoint.socketPath };
  }
  const reason = request.driverFlag === 'local' ? '--runtime local' : 'ngb.config.json sets "runtime.driver": "local"';
  if (request.purpose === 'serve' && request.remoteChannels.length > 0 && !config.allowLocalRuntime) {
    throw new ConfigError(
      `refusing to serve ${request.remoteChannels.join(', ')} without a sandbox: ${reason}, and the local runtime would run ` +
        'tools from remote chats directly on this machine. Use Docker, or set "allowLocalRuntime": true in ngb.config.json to accept the risk',
      { key: 'allowLocalRuntime' },
    );
  }
  const warning =
    `NOT ISOLATED: ${reason}, so tools run directly on this machine as your user, in the agent folder under ${paths.agentsDir} ` +
    '(local runtime, for development only). Use the Docker runtime to run them in the sandbox.';
  return { request, driver, warning };
}

/** Where a started runtime logs, and how its containers are grouped. */
export interface RuntimeStart {
  /** Groups this process's containers (a label, shown by `docker ps`); orphans of any namespace are removed at start. */
  namespace: string;
  logger: Logger;
}

/** Starts the planned runtime. */
export async function startRuntime(plan: RuntimePlan, { namespace, logger }: RuntimeStart): Promise<RuntimeChoice> {
  const { config, paths } = plan.request;
  const runtimeModule = await import('@ngb/runtime');
  const pool = {
    maxSandboxes: config.runtime.maxSandboxes,
    idleTimeoutMs: Math.round(config.runtime.idleTimeoutMinutes * 60_000),
    logger,
  };
  if (plan.driver === 'local') {
    return { runtime: runtimeModule.createLocalRuntime(pool), driver: 'local', warning: plan.warning };
  }
  const globalFolder = join(paths.agentsDir, 'global');
  const runtime = runtimeModule.createDockerRuntime({
    ...pool,
    socketPath: plan.socketPath,
    image: config.runtime.image,
    namespace,
    globalFolder: existsSync(globalFolder) ? globalFolder : undefined,
    mountAllowlist: await runtimeModule.loadMountAllowlist(runtimeModule.defaultMountAllowlistPath()),
    imageBuildHint: '`ngb image build`',
    diskLimit: config.runtime.diskLimits === 'on' ? { imageFolder: join(paths.dataDir, 'disks') } : 'unlimited',
    // Agents with a `network` allowlist reach it through a proxy per sandbox on a socket here (no opt-in
    // for private addresses: that exists only for tests of the runtime).
    // Remote MCP servers' header values: from the environment, for the proxy alone (checked when planned).
    egress: {
      socketFolder: join(paths.dataDir, 'egress'),
      // Node's resolver is loaded at the first name an agent's proxy looks up, not before the gateway is ready.
      lookup: (hostname, options) => process.getBuiltinModule('node:dns/promises').lookup(hostname, options),
      headerVariables: await mcpHeaderVariableValues(config, plan.request.env, paths.configFile),
    },
  });
  // Every start clears the containers of gateways that died (of any command), not only at the first sandbox,
  // and mounts the agents' disks again after a reboot, so the host reads what the agents wrote.
  await runtime.removeOrphans().catch((error: unknown) => logger.warn('could not remove orphaned sandboxes', { error }));
  const agentFolders = listAgentFolders(paths.agentsDir).folders.map((folder) => join(paths.agentsDir, folder));
  await runtime
    .mountAgentDisks(agentFolders)
    .catch((error: unknown) => logger.warn('could not mount the agent disks', { error }));
  return { runtime, driver: 'docker' };
}
