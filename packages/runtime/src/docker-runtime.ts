import { randomBytes } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import {
  type Clock,
  ConfigError,
  type Logger,
  SandboxError,
  type SandboxRuntime,
  silentLogger,
  systemClock,
} from '@ngb/plugin-sdk';
import { sandboxToolDefinitions } from '@ngb/sandbox';
import type Docker from 'dockerode';
import * as v from 'valibot';
import { type AgentDisks, createAgentDisks } from './agent-disk';
import { type CheckedSpec, checkSpec } from './check-spec';
import { defaultToolDirectories } from './disk-tools';
import { buildSandboxContainerOptions } from './docker-container-options';
import { startDockerSandbox } from './docker-sandbox-instance';
import { defaultContainerUser, handOverAgentFolder } from './hand-over-folder';
import { type DockerErrorContext, engineUnavailableError, imageMissingError, mapDockerError } from './map-docker-error';
import { checkMounts, type MountAllowlist, type ResolvedMount } from './mount-policy';
import { isProcessAlive, type ProcessAliveCheck, type ProcessIdentity, readProcessIdentity } from './process-identity';
import { removeOrphanSandboxes } from './remove-orphan-sandboxes';
import { parseRuntimeOptions, poolOptionsSchema } from './runtime-options';
import { createSandboxPool } from './sandbox-pool';

/** Where the agent folders' disk images live (see {@link DockerRuntimeOptions.diskLimit}). */
export interface DiskImageOptions {
  /** Host folder of the image files (one per agent folder), outside every agent folder; made when missing. */
  imageFolder: string;
  /** Where `mkfs.ext4`, `e2fsck`, `resize2fs`, `mount` and `umount` are looked for. @default the system's sbin and bin folders */
  toolDirectories?: string[];
}

/** Options of {@link createDockerRuntime}. */
export interface DockerRuntimeOptions {
  /**
   * How the size limit of agent folders (`limits.diskMb`) is enforced; there is no default, because
   * the only fallback would be no limit at all. With `{ imageFolder }` each agent folder lives on its
   * own sparse ext4 image file, loop-mounted at the agent folder's own path (the host and the sandbox
   * see the same files), so writing past the limit fails with ENOSPC inside the sandbox and the
   * host keeps its space. Needs root and e2fsprogs + mount; without them every acquire fails with
   * `disk_limit` saying so. `'unlimited'`: no limit, what an agent writes goes straight to the host's disk.
   */
  diskLimit: DiskImageOptions | 'unlimited';
  /** A ready dockerode client (closed by you). @default a client on `socketPath` */
  docker?: Docker;
  /** Socket of the engine when no client is given. @default '/var/run/docker.sock' */
  socketPath?: string;
  /** The sandbox image. @default 'ngb-agent:latest' */
  image?: string;
  /** Label value that groups this runtime's containers (shown in `docker ps`). @default 'default' */
  namespace?: string;
  /** @default 5 */
  maxSandboxes?: number;
  /** @default 1800000 (30 minutes) */
  idleTimeoutMs?: number;
  /** Time limit of calls that name none. @default 120000 */
  defaultTimeoutMs?: number;
  /** How long a starting container may take to say hello. @default 20000 */
  helloTimeoutMs?: number;
  /** Limits of specs that name none. @default { memoryMb: 1024, cpus: 1, pids: 256, diskMb: 1024 } */
  defaultLimits?: { memoryMb?: number; cpus?: number; pids?: number; diskMb?: number };
  /** Size of the tmpfs at `/tmp`, in MiB (it counts against the memory limit). @default 256 */
  tmpfsSizeMb?: number;
  /**
   * `uid:gid` the sandbox runs as, never root. @default the host user, or `1000:1000` when the gateway runs as
   * root (it then hands the agent folder to that user before starting the sandbox)
   */
  user?: string;
  /** Host folder shared by all agents, mounted read-only at `/workspace/global`. */
  globalFolder?: string;
  /** The loaded mount allowlist (see `loadMountAllowlist`); without one every extra mount is refused. */
  mountAllowlist?: MountAllowlist;
  /**
   * Before the first start, remove the sandbox containers (of every namespace) whose gateway process
   * is gone (see {@link DockerRuntime.removeOrphans}). @default true
   */
  removeOrphans?: boolean;
  /** Whether the gateway process that owns a container still runs. @default checks `/proc` on this host */
  processAlive?: ProcessAliveCheck;
  /** How to build the image, shown when it is missing. @default the repository's build script */
  imageBuildHint?: string;
  clock?: Clock;
  logger?: Logger;
}

const diskLimitChoice =
  "choose how agent folders are size-limited: `{ imageFolder: '/absolute/folder' }` (needs root) or 'unlimited'";

const dockerOptionsSchema = v.object({
  ...poolOptionsSchema.entries,
  socketPath: v.optional(v.pipe(v.string(), v.minLength(1)), '/var/run/docker.sock'),
  image: v.optional(v.pipe(v.string(), v.minLength(1)), 'ngb-agent:latest'),
  namespace: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/)), 'default'),
  helloTimeoutMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 20_000),
  defaultLimits: v.optional(
    v.object({
      memoryMb: v.optional(v.pipe(v.number(), v.minValue(16)), 1024),
      cpus: v.optional(v.pipe(v.number(), v.minValue(0.01)), 1),
      pids: v.optional(v.pipe(v.number(), v.integer(), v.minValue(8)), 256),
      diskMb: v.optional(v.pipe(v.number(), v.integer(), v.minValue(16)), 1024),
    }),
    {},
  ),
  tmpfsSizeMb: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 256),
  user: v.optional(v.pipe(v.string(), v.regex(/^\d+(:\d+)?$/))),
  globalFolder: v.optional(v.pipe(v.string(), v.minLength(1))),
  removeOrphans: v.optional(v.boolean(), true),
  diskLimit: v.optional(
    v.union(
      [
        v.literal('unlimited'),
        v.object({
          imageFolder: v.pipe(
            v.string(),
            v.check((folder) => folder.startsWith('/'), 'must be an absolute path'),
          ),
          toolDirectories: v.optional(v.array(v.string()), defaultToolDirectories),
        }),
      ],
      diskLimitChoice,
    ),
  ),
  imageBuildHint: v.optional(v.string(), '`node container-images/agent/build.mjs` from the ngb repository (after `pnpm build`)'),
});

interface PreparedDockerSpec extends CheckedSpec {
  extraMounts: ResolvedMount[];
}

/** The Docker runtime: the contract, plus the clean-up of containers left by dead gateways. */
export interface DockerRuntime extends SandboxRuntime {
  /**
   * Removes the sandbox containers of every namespace whose gateway process is gone (killed,
   * crashed, or from before a reboot), running or exited; a live process's containers and those of
   * other hosts are left alone. Runs once per runtime (the first start runs it too, unless
   * `removeOrphans: false`); later calls give the first call's result.
   * @returns how many containers were removed
   * @throws SandboxError `engine_unavailable` and the like when the engine cannot list containers
   */
  removeOrphans(): Promise<number>;
}

const finishedStates = new Set(['exited', 'dead']);

/**
 * A runtime that runs each session's sandbox in its own hardened Docker container (see
 * `buildSandboxContainerOptions`), kept warm and spoken to over one persistent stdio attach.
 */
export function createDockerRuntime(options: DockerRuntimeOptions): DockerRuntime {
  const parsed = parseRuntimeOptions(dockerOptionsSchema, options ?? {}, 'createDockerRuntime');
  // Optional in the schema only so that leaving it out gets this message rather than a generic one.
  if (parsed.diskLimit === undefined) {
    throw new ConfigError(`[@ngb/runtime] createDockerRuntime: option \`diskLimit\` is missing: ${diskLimitChoice}`, {
      key: 'diskLimit',
    });
  }
  const diskLimit = parsed.diskLimit;
  const logger = (options.logger ?? silentLogger).child('sandbox:docker');
  // dockerode (and the gRPC and SSH stacks it pulls in) loads on first use: an idle gateway never pays for it.
  let docker: Docker | undefined = options.docker;
  const client = async (): Promise<Docker> => {
    if (!docker) {
      const { default: DockerClient } = await import('dockerode');
      docker = new DockerClient({ socketPath: parsed.socketPath });
    }
    return docker;
  };
  const containerUser = parsed.user ?? defaultContainerUser();
  const errorContext: DockerErrorContext = {
    operation: '',
    image: parsed.image,
    engineAddress: options.docker ? 'the given Docker client' : parsed.socketPath,
    imageBuildHint: parsed.imageBuildHint,
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
            const containers = await (await client()).listContainers({ all: true });
            return containers.some(
              (container) =>
                !finishedStates.has(container.State) &&
                (container.Mounts ?? []).some((mount) => mount.Source === folder || mount.Source.startsWith(`${folder}/`)),
            );
          },
        });

  const setUp = async () => {
    await disks?.setUp();
    const docker = await client();
    await docker.ping().catch((error: unknown) => {
      throw engineUnavailableError(errorContext, error);
    });
    await docker
      .getImage(parsed.image)
      .inspect()
      .catch((error: { statusCode?: number }) => {
        throw error?.statusCode === 404
          ? imageMissingError(errorContext, error)
          : mapDockerError(error, { ...errorContext, operation: 'inspecting the image' });
      });
    if (parsed.removeOrphans) await removeOrphans();
  };

  let orphanSweep: Promise<number> | undefined;
  const removeOrphans = () => {
    orphanSweep ??= (async () =>
      removeOrphanSandboxes({ docker: await client(), namespace: parsed.namespace, processAlive, logger }))().catch(
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
    clock: options.clock ?? systemClock,
    logger,
    setUp,
    async prepare(spec) {
      const checked = await checkSpec(spec, parsed.defaultLimits);
      const requests = spec.mounts ?? [];
      if (requests.length === 0) return { ...checked, extraMounts: [] };
      const resolved = new Map<string, string | undefined>();
      const paths = [
        ...requests.map((mount) => mount.hostPath),
        ...(options.mountAllowlist?.allowedRoots ?? []).map((root) => root.path),
      ];
      await Promise.all(paths.map(async (path) => resolved.set(path, await realpath(path).catch(() => undefined))));
      const decision = checkMounts({
        requests,
        allowlist: options.mountAllowlist,
        isMain: spec.isMain,
        realpath: (path) => resolved.get(path),
      });
      if (decision.refused.length > 0) {
        const reasons = decision.refused.map((refused) => `${refused.request.containerPath}: ${refused.reason}`).join('; ');
        throw new SandboxError('mount_refused', `[@ngb/runtime] mount refused for session "${spec.sessionId}": ${reasons}`);
      }
      return { ...checked, extraMounts: decision.mounts };
    },
    async start(prepared, spec) {
      // The disk is held until the container exists, so that no gateway unmounts it to grow it in between.
      const release = await disks?.hold(prepared.agentFolder, prepared.limits.diskMb);
      try {
        await handOverAgentFolder(prepared.agentFolder, containerUser);
        return await startDockerSandbox({
          docker: await client(),
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
            network: prepared.network,
            user: containerUser,
            tmpfsSizeMb: parsed.tmpfsSizeMb,
            nameSuffix: randomBytes(4).toString('hex'),
            owner: await owner(),
          }),
        });
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
    removeOrphans,
  };
}
