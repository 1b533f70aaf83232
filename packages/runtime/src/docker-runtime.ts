import { randomBytes } from 'node:crypto';
import {
  ConfigError,
  type EgressReporting,
  type EgressRequestListener,
  type EgressRequestRecord,
  NotSupportedError,
  type SandboxRuntime,
  silentLogger,
  systemClock,
} from '@ngb/plugin-sdk';
import { sandboxToolDefinitions } from '@ngb/sandbox';
import { type AgentDisks, createAgentDisks } from './agent-disk';
import { type CheckedSpec, checkSpec } from './check-spec';
import { buildSandboxContainerOptions } from './docker-container-options';
import { type DockerRuntimeOptions, diskLimitChoice, dockerRuntimeOptionsSchema } from './docker-runtime-options';
import { startDockerSandbox } from './docker-sandbox-instance';
import { createEngineClient, type EngineClient } from './engine-client';
import { defaultContainerUser, handOverAgentFolder } from './hand-over-folder';
import { type DockerErrorContext, engineUnavailableError, imageMissingError, mapDockerError } from './map-docker-error';
import { type EgressHeaderInjection, mcpHeaderInjections } from './mcp-server-headers';
import type { ResolvedMount } from './mount-policy';
import { isProcessAlive, type ProcessIdentity, readProcessIdentity } from './process-identity';
import { removeOrphanSandboxes } from './remove-orphan-sandboxes';
import { resolveMounts } from './resolve-mounts';
import { parseRuntimeOptions } from './runtime-options';
import { checkEgressFolder, openSandboxEgress, removeStaleEgressFolders, type SandboxEgress } from './sandbox-egress';
import { createSandboxPool } from './sandbox-pool';

interface PreparedDockerSpec extends CheckedSpec {
  extraMounts: ResolvedMount[];
  /** The remote MCP servers' headers, filled in, for the egress proxy alone. */
  headerInjections: EgressHeaderInjection[];
}

/**
 * The Docker runtime: the contract, the records of its sandboxes' egress proxies, and the clean-up
 * of containers left by dead gateways.
 */
export interface DockerRuntime extends SandboxRuntime, EgressReporting {
  /**
   * Removes the sandbox containers of every namespace whose gateway process is gone (killed,
   * crashed, or from before a reboot), running or exited; a live process's containers and those of
   * other hosts are left alone. Runs once per runtime (the first start runs it too, unless
   * `removeOrphans: false`); later calls give the first call's result.
   * @returns how many containers were removed
   * @throws SandboxError `engine_unavailable` and the like when the engine cannot list containers
   */
  removeOrphans(): Promise<number>;
  /**
   * Mounts the disk images that exist for these agent folders but are not mounted (after a reboot),
   * so that the host reads what the agents wrote (their AGENTS.md) before their first sandbox
   * starts. Makes no image; does nothing with `diskLimit: 'unlimited'`.
   * @returns how many it mounted
   * @throws SandboxError `disk_limit` with the reason
   */
  mountAgentDisks(agentFolders: readonly string[]): Promise<number>;
}

const finishedStates = new Set(['exited', 'dead']);

/**
 * A runtime that runs each session's sandbox in its own hardened Docker container (see
 * `buildSandboxContainerOptions`), kept warm and spoken to over one persistent stdio attach.
 */
export function createDockerRuntime(options: DockerRuntimeOptions): DockerRuntime {
  const parsed = parseRuntimeOptions(dockerRuntimeOptionsSchema, options ?? {}, 'createDockerRuntime');
  // Optional in the schema only so that leaving it out gets this message rather than a generic one.
  if (parsed.diskLimit === undefined) {
    throw new ConfigError(`[@ngb/runtime] createDockerRuntime: option \`diskLimit\` is missing: ${diskLimitChoice}`, {
      key: 'diskLimit',
    });
  }
  const diskLimit = parsed.diskLimit;
  const logger = (options.logger ?? silentLogger).child('sandbox:docker');
  const engine: EngineClient = options.engine ?? createEngineClient({ socketPath: parsed.socketPath });
  const containerUser = parsed.user ?? defaultContainerUser();
  const errorContext: DockerErrorContext = {
    operation: '',
    image: parsed.image,
    engineAddress: engine.address,
    imageBuildHint: parsed.imageBuildHint,
  };

  const clock = options.clock ?? systemClock;
  const egressListeners = new Set<EgressRequestListener>();
  const reportEgress = (record: EgressRequestRecord) => {
    logger.debug('egress request', { ...record });
    for (const listener of egressListeners) {
      try {
        listener(record);
      } catch (error) {
        logger.warn('an egress request listener failed', { error });
      }
    }
  };

  const processAlive = options.processAlive ?? isProcessAlive;
  let ownIdentity: Promise<ProcessIdentity> | undefined;
  const owner = () => {
    ownIdentity ??= readProcessIdentity();
    return ownIdentity;
  };
  const disks: AgentDisks | undefined =
    diskLimit === 'unlimited'
      ? undefined
      : createAgentDisks({
          imageFolder: diskLimit.imageFolder,
          toolDirectories: diskLimit.toolDirectories,
          owner,
          processAlive,
          logger,
          folderInUse: async (folder) => {
            const containers = await engine.listContainers();
            return containers.some(
              (container) =>
                !finishedStates.has(container.State) &&
                (container.Mounts ?? []).some((mount) => mount.Source === folder || mount.Source.startsWith(`${folder}/`)),
            );
          },
        });

  let disksReady: Promise<void> | undefined;
  const setUpDisks = () => {
    disksReady ??= (disks?.setUp() ?? Promise.resolve()).catch((error: unknown) => {
      disksReady = undefined;
      throw error;
    });
    return disksReady;
  };

  const setUp = async () => {
    await setUpDisks();
    await engine.ping().catch((error: unknown) => {
      throw engineUnavailableError(errorContext, error);
    });
    await engine.inspectImage(parsed.image).catch((error: { statusCode?: number }) => {
      throw error?.statusCode === 404
        ? imageMissingError(errorContext, error)
        : mapDockerError(error, { ...errorContext, operation: 'inspecting the image' });
    });
    if (parsed.removeOrphans) await removeOrphans();
    if (parsed.egress) {
      const stale = await removeStaleEgressFolders(parsed.egress.socketFolder);
      if (stale > 0) logger.info('removed the egress socket folders of sandboxes gone', { count: stale });
    }
  };

  let orphanSweep: Promise<number> | undefined;
  const removeOrphans = () => {
    orphanSweep ??= removeOrphanSandboxes({ engine, namespace: parsed.namespace, processAlive, logger }).catch(
      (error: unknown) => {
        orphanSweep = undefined;
        throw mapDockerError(error, { ...errorContext, operation: 'listing old sandbox containers' });
      },
    );
    return orphanSweep;
  };

  const pool = createSandboxPool<PreparedDockerSpec>({
    maxSandboxes: parsed.maxSandboxes,
    idleTimeoutMs: parsed.idleTimeoutMs,
    clock,
    logger,
    setUp,
    async prepare(spec) {
      const checked = await checkSpec(spec, parsed.defaultLimits);
      if (checked.network !== 'none') {
        if (parsed.egress === undefined) {
          throw new NotSupportedError(
            `[@ngb/runtime] session "${spec.sessionId}" asks for egress to ${checked.network.allow.join(', ')}, but this ` +
              'Docker runtime was created without `egress` options (the host proxy its traffic must go through); ' +
              'pass `egress: { socketFolder, lookup }`, or set the network to "none"',
          );
        }
        await checkEgressFolder(parsed.egress.socketFolder, checked.agentFolder);
      }
      const headerInjections =
        checked.network === 'none' || parsed.egress === undefined
          ? []
          : mcpHeaderInjections(spec.mcpServers, parsed.egress.headerVariables);
      const extraMounts = await resolveMounts({
        requests: spec.mounts ?? [],
        allowlist: options.mountAllowlist,
        isMain: spec.isMain,
        sessionId: spec.sessionId,
      });
      return { ...checked, extraMounts, headerInjections };
    },
    async start(prepared, spec) {
      // The disk is held until the container exists, so that no gateway unmounts it to grow it in between.
      const release = await disks?.hold(prepared.agentFolder, prepared.limits.diskMb);
      let egress: SandboxEgress | undefined;
      try {
        await handOverAgentFolder(prepared.agentFolder, containerUser);
        if (prepared.network !== 'none' && parsed.egress !== undefined) {
          egress = await openSandboxEgress({
            options: parsed.egress,
            sessionId: spec.sessionId,
            policy: prepared.network,
            injectHeaders: prepared.headerInjections,
            containerUser,
            now: () => clock.now(),
            onRequest: reportEgress,
          });
        }
        const instance = await startDockerSandbox({
          engine,
          errorContext,
          helloTimeoutMs: parsed.helloTimeoutMs,
          defaultTimeoutMs: parsed.defaultTimeoutMs,
          memoryMb: prepared.limits.memoryMb,
          logger,
          created: release,
          createOptions: buildSandboxContainerOptions({
            spec,
            image: parsed.image,
            namespace: parsed.namespace,
            agentFolder: prepared.agentFolder,
            globalFolder: parsed.globalFolder,
            extraMounts: prepared.extraMounts,
            limits: prepared.limits,
            egressFolder: egress?.folder,
            user: containerUser,
            tmpfsSizeMb: parsed.tmpfsSizeMb,
            nameSuffix: randomBytes(4).toString('hex'),
            owner: await owner(),
            mcpServers: prepared.mcpServers,
          }),
        });
        if (!egress) return instance;
        const proxy = egress;
        return {
          id: instance.id,
          channel: instance.channel,
          beginTurn: (turnId) => proxy.proxy.beginTurn(turnId),
          stop: async () => {
            try {
              await instance.stop();
            } finally {
              await proxy.close();
            }
          },
        };
      } catch (error) {
        await egress?.close();
        throw error;
      } finally {
        await release?.();
      }
    },
  });

  return {
    specificationVersion: 1,
    name: 'docker',
    isolated: true,
    tools: sandboxToolDefinitions,
    acquire: (spec, acquireOptions) => pool.acquire(spec, acquireOptions),
    list: async () => pool.list(),
    reap: (reapOptions) => pool.reap(reapOptions),
    close: () => pool.close(),
    onEgressRequest(listener) {
      egressListeners.add(listener);
      return () => void egressListeners.delete(listener);
    },
    removeOrphans,
    async mountAgentDisks(agentFolders) {
      if (!disks) return 0;
      await setUpDisks();
      let mounted = 0;
      for (const folder of agentFolders) if (await disks.mountExisting(folder)) mounted += 1;
      return mounted;
    },
  };
}
