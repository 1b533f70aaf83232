import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type Logger, NotSupportedError, type SandboxRuntime } from '@ngb/plugin-sdk';
import type { NgbConfig } from '../config/config-schema';
import type { Env } from '../config/load-config';
import type { ProjectPaths } from '../config/project-paths';
import { dockerFix, probeDockerEngine } from './docker-engine';
import { listAgentFolders } from './sync-agents';

/** The runtime a command got, and what to tell the user about it. */
export interface RuntimeChoice {
  runtime: SandboxRuntime;
  driver: 'docker' | 'local';
  /** Shown once, plainly, when tools are not isolated. */
  warning?: string;
}

/** What decides the runtime. */
export interface RuntimeRequest {
  config: NgbConfig;
  paths: ProjectPaths;
  env: Env;
  /** `serve` refuses the local runtime while a remote chat channel is enabled. */
  purpose: 'serve' | 'conversation';
  /** Enabled channels that people outside this machine can write to. */
  remoteChannels: readonly string[];
  /** Groups this process's containers (a label, shown by `docker ps`); orphans of any namespace are removed at start. */
  namespace: string;
  logger: Logger;
}

/**
 * Docker when the engine answers (or the config insists), otherwise the local runtime with a
 * warning; `serve` with a remote channel never falls back silently.
 * @throws ConfigError when the config asks for Docker and none answers, or when `serve` would run
 *   remote chats on the local runtime without `allowLocalRuntime: true`
 */
export async function chooseRuntime(request: RuntimeRequest): Promise<RuntimeChoice> {
  const { config, env, paths } = request;
  const driver = config.runtime.driver;
  if (driver !== 'local') {
    const probe = await probeDockerEngine(env);
    if (probe.ok) return { runtime: await createDocker(request, probe.endpoint.socketPath), driver: 'docker' };
    const where = `${probe.endpoint.display} (${probe.error})`;
    if (driver === 'docker') {
      throw new ConfigError(
        `the Docker engine is not answering at ${where}: ${dockerFix(probe)}; or set "runtime.driver": "local" (not isolated)`,
        {
          key: 'runtime.driver',
        },
      );
    }
    return localOrRefuse(request, `the Docker engine is not answering at ${where}`);
  }
  return localOrRefuse(request, 'ngb.config.json sets "runtime.driver": "local"');
  async function localOrRefuse(input: RuntimeRequest, reason: string): Promise<RuntimeChoice> {
    if (input.purpose === 'serve' && input.remoteChannels.length > 0 && !config.allowLocalRuntime) {
      throw new ConfigError(
        `refusing to serve ${input.remoteChannels.join(', ')} without a sandbox: ${reason}, and the local runtime would run ` +
          'tools from remote chats directly on this machine. Start Docker, or set "allowLocalRuntime": true in ngb.config.json to accept the risk',
        { key: 'allowLocalRuntime' },
      );
    }
    const { createLocalRuntime } = await import('@ngb/runtime');
    const runtime = createLocalRuntime({
      maxSandboxes: config.runtime.maxSandboxes,
      idleTimeoutMs: Math.round(config.runtime.idleTimeoutMinutes * 60_000),
      logger: input.logger,
    });
    const warning =
      `NOT ISOLATED: ${reason}, so tools run directly on this machine as your user, in the agent folder under ${paths.agentsDir} ` +
      '(local runtime, for development only). Start Docker to run them in the sandbox.';
    return { runtime, driver: 'local', warning };
  }
}

async function createDocker(request: RuntimeRequest, socketPath: string | undefined): Promise<SandboxRuntime> {
  if (socketPath === undefined) {
    throw new NotSupportedError(
      `DOCKER_HOST=${request.env.DOCKER_HOST} is not supported by ngb yet: use a unix socket (unix:///var/run/docker.sock)`,
    );
  }
  const { createDockerRuntime, defaultMountAllowlistPath, loadMountAllowlist } = await import('@ngb/runtime');
  const { config, paths } = request;
  const uid = process.getuid?.();
  if (config.runtime.diskLimits === 'on' && uid !== 0) {
    throw new ConfigError(
      `agents' size limits (agents.<folder>.diskLimitMb, default 1024 MiB) need root: each agent folder is loop-mounted from its own disk image, ` +
        `and ngb runs as ${uid === undefined ? 'a user without uids' : `uid ${uid}`}. Run ngb as root, or set "runtime": { "diskLimits": "off" } ` +
        'in ngb.config.json to let agents write to this disk without a limit',
      { key: 'runtime.diskLimits' },
    );
  }
  const globalFolder = join(paths.agentsDir, 'global');
  const runtime = createDockerRuntime({
    socketPath,
    image: config.runtime.image,
    namespace: request.namespace,
    maxSandboxes: config.runtime.maxSandboxes,
    idleTimeoutMs: Math.round(config.runtime.idleTimeoutMinutes * 60_000),
    globalFolder: existsSync(globalFolder) ? globalFolder : undefined,
    mountAllowlist: await loadMountAllowlist(defaultMountAllowlistPath()),
    imageBuildHint: '`ngb image build`',
    diskLimit: config.runtime.diskLimits === 'on' ? { imageFolder: join(paths.dataDir, 'disks') } : 'unlimited',
    logger: request.logger,
  });
  // Every start clears the containers of gateways that died (of any command), not only at the first sandbox,
  // and mounts the agents' disks again after a reboot, so the host reads what the agents wrote.
  await runtime.removeOrphans().catch((error: unknown) => request.logger.warn('could not remove orphaned sandboxes', { error }));
  const agentFolders = listAgentFolders(paths.agentsDir).folders.map((folder) => join(paths.agentsDir, folder));
  await runtime
    .mountAgentDisks(agentFolders)
    .catch((error: unknown) => request.logger.warn('could not mount the agent disks', { error }));
  return runtime;
}
