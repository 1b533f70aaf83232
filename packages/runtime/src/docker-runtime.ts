import { randomBytes } from 'node:crypto';
import { type Clock, type Logger, type SandboxRuntime, silentLogger, systemClock } from '@ngb/plugin-sdk';
import { sandboxToolDefinitions } from '@ngb/sandbox';
import type Docker from 'dockerode';
import * as v from 'valibot';
import { type CheckedSpec, checkSpec } from './check-spec';
import { buildSandboxContainerOptions, sandboxLabels } from './docker-container-options';
import { startDockerSandbox } from './docker-sandbox-instance';
import { defaultContainerUser, handOverAgentFolder } from './hand-over-folder';
import { type DockerErrorContext, engineUnavailableError, imageMissingError, mapDockerError } from './map-docker-error';
import type { MountAllowlist, ResolvedMount } from './mount-policy';
import { resolveMounts } from './resolve-mounts';
import { parseRuntimeOptions, poolOptionsSchema } from './runtime-options';
import { createSandboxPool } from './sandbox-pool';

/** Options of {@link createDockerRuntime}. */
export interface DockerRuntimeOptions {
  /** A ready dockerode client (closed by you). @default a client on `socketPath` */
  docker?: Docker;
  /** Socket of the engine when no client is given. @default '/var/run/docker.sock' */
  socketPath?: string;
  /** The sandbox image. @default 'ngb-agent:latest' */
  image?: string;
  /**
   * Label value that groups this runtime's containers. At start, containers of the same namespace
   * left by a crashed gateway are removed; give each gateway on one engine its own. @default 'default'
   */
  namespace?: string;
  /** @default 5 */
  maxSandboxes?: number;
  /** @default 1800000 (30 minutes) */
  idleTimeoutMs?: number;
  /** Time limit of calls that name none. @default 120000 */
  defaultTimeoutMs?: number;
  /** How long a starting container may take to say hello. @default 20000 */
  helloTimeoutMs?: number;
  /** Limits of specs that name none. @default { memoryMb: 1024, cpus: 1, pids: 256 } */
  defaultLimits?: { memoryMb?: number; cpus?: number; pids?: number };
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
  /** Remove this namespace's containers left from an earlier run before the first start. @default true */
  removeOrphans?: boolean;
  /** How to build the image, shown when it is missing. @default the repository's build script */
  imageBuildHint?: string;
  clock?: Clock;
  logger?: Logger;
}

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
    }),
    {},
  ),
  tmpfsSizeMb: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 256),
  user: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+(:\d+)?$/, 'must be `uid` or `uid:gid`'),
      v.check(
        (user) => Number(user.split(':')[0]) !== 0,
        'must not be root (uid 0): the sandbox program refuses to run tools as root',
      ),
    ),
  ),
  globalFolder: v.optional(v.pipe(v.string(), v.minLength(1))),
  removeOrphans: v.optional(v.boolean(), true),
  imageBuildHint: v.optional(v.string(), '`node container-images/agent/build.mjs` from the ngb repository (after `pnpm build`)'),
});

interface PreparedDockerSpec extends CheckedSpec {
  extraMounts: ResolvedMount[];
}

/**
 * A runtime that runs each session's sandbox in its own hardened Docker container (see
 * `buildSandboxContainerOptions`), kept warm and spoken to over one persistent stdio attach.
 */
export function createDockerRuntime(options: DockerRuntimeOptions = {}): SandboxRuntime {
  const parsed = parseRuntimeOptions(dockerOptionsSchema, options, 'createDockerRuntime');
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

  const setUp = async () => {
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

  const removeOrphans = async () => {
    const docker = await client();
    const filters = { label: [`${sandboxLabels.marker}=true`, `${sandboxLabels.namespace}=${parsed.namespace}`] };
    const orphans = await docker.listContainers({ all: true, filters }).catch((error: unknown) => {
      throw mapDockerError(error, { ...errorContext, operation: 'listing old sandbox containers' });
    });
    await Promise.all(
      orphans.map((orphan) =>
        docker
          .getContainer(orphan.Id)
          .remove({ force: true })
          .catch(() => {}),
      ),
    );
    if (orphans.length > 0)
      logger.info('removed sandbox containers left by an earlier run', { count: orphans.length, namespace: parsed.namespace });
  };

  const pool = createSandboxPool<PreparedDockerSpec>({
    maxSandboxes: parsed.maxSandboxes,
    idleTimeoutMs: parsed.idleTimeoutMs,
    clock: options.clock ?? systemClock,
    logger,
    setUp,
    async prepare(spec) {
      const checked = await checkSpec(spec, parsed.defaultLimits);
      const extraMounts = await resolveMounts({
        requests: spec.mounts ?? [],
        allowlist: options.mountAllowlist,
        isMain: spec.isMain,
        sessionId: spec.sessionId,
      });
      await handOverAgentFolder(checked.agentFolder, containerUser);
      return { ...checked, extraMounts };
    },
    start: async (prepared, spec) =>
      startDockerSandbox({
        docker: await client(),
        errorContext,
        helloTimeoutMs: parsed.helloTimeoutMs,
        defaultTimeoutMs: parsed.defaultTimeoutMs,
        memoryMb: prepared.limits.memoryMb,
        logger,
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
        }),
      }),
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
  };
}
