import type { Clock, Logger } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import { defaultToolDirectories } from './disk-tools';
import type { EngineClient } from './engine-client';
import type { MountAllowlist } from './mount-policy';
import type { ProcessAliveCheck } from './process-identity';
import { poolOptionsSchema } from './runtime-options';
import { type EgressOptions, egressOptionsSchema } from './sandbox-egress';

/** Where the agent folders' disk images live (see {@link DockerRuntimeOptions.diskLimit}). */
export interface DiskImageOptions {
  /** Host folder of the image files (one per agent folder), outside every agent folder; made when missing. */
  imageFolder: string;
  /** Where `mkfs.ext4`, `e2fsck`, `resize2fs`, `mount` and `umount` are looked for. @default the system's sbin and bin folders */
  toolDirectories?: string[];
}

/** Options of `createDockerRuntime`. */
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
  /**
   * The Docker Engine API client to use (see `createEngineClient`), such as one with another time limit or a
   * stand-in for tests. @default a client on `socketPath`
   */
  engine?: EngineClient;
  /** Socket of the engine when no `engine` is given. @default '/var/run/docker.sock' */
  socketPath?: string;
  /** The sandbox image. @default 'ngb-agent:latest' */
  image?: string;
  /** Label value that groups this runtime's containers (shown in `docker ps`). @default 'default' */
  namespace?: string;
  /** Sandboxes running at once; further acquires wait in arrival order. @default 5 */
  maxSandboxes?: number;
  /** A sandbox without a call for this long is stopped. @default 1800000 (30 minutes) */
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
  /**
   * The host's egress proxy, for specs with an egress policy: each such sandbox gets its own proxy
   * on a unix socket mounted at `/run/ngb`, and its container still has no network. Without these
   * options such a spec is refused with `NotSupportedError`, never given a network.
   */
  egress?: EgressOptions;
  clock?: Clock;
  logger?: Logger;
}

export const diskLimitChoice =
  "choose how agent folders are size-limited: `{ imageFolder: '/absolute/folder' }` (needs root) or 'unlimited'";

/** The schema {@link DockerRuntimeOptions} are parsed with, with defaults. */
export const dockerRuntimeOptionsSchema = v.object({
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
  egress: v.optional(egressOptionsSchema),
});
