import type { SandboxLimits, SandboxSpec } from '@ngb/plugin-sdk';
import { type McpServerLaunch, mcpServersOption } from '@ngb/sandbox';
import type { ContainerCreateOptions } from './engine-types';
import type { ResolvedMount } from './mount-policy';
import type { ProcessIdentity } from './process-identity';

/** Everything that decides how a sandbox container is created. */
export interface SandboxContainerInput {
  spec: SandboxSpec;
  image: string;
  namespace: string;
  /** The agent folder with symlinks resolved. */
  agentFolder: string;
  /** The shared folder, mounted read-only at `/workspace/global`. */
  globalFolder: string | undefined;
  extraMounts: readonly ResolvedMount[];
  limits: SandboxLimits;
  /**
   * The host folder holding this sandbox's egress proxy socket, mounted read-only at
   * `/run/ngb`; the sandbox program relays its loopback proxy to it. None: no egress.
   */
  egressFolder?: string;
  user: string;
  tmpfsSizeMb: number;
  /** Unique suffix of the container name. */
  nameSuffix: string;
  /** The gateway process that owns the container; a later start removes it once that process is gone. */
  owner: ProcessIdentity;
  /** MCP servers the sandbox program starts inside (checked by `checkMcpServers`). @default [] */
  mcpServers?: readonly McpServerLaunch[];
}

/** Labels every sandbox container carries; orphans are found by them. */
export const sandboxLabels = {
  marker: 'ngb.sandbox',
  namespace: 'ngb.namespace',
  session: 'ngb.session',
  agent: 'ngb.agent',
  ownerPid: 'ngb.owner.pid',
  ownerStartTime: 'ngb.owner.start-time',
  ownerBootId: 'ngb.owner.boot-id',
  ownerHost: 'ngb.owner.host',
} as const;

const mebibyte = 1024 * 1024;

/** Where a sandbox sees its egress proxy's folder, and the socket in it. */
const egressMountPoint = '/run/ngb';
export const egressSocketName = 'egress.sock';

/**
 * The container of one sandbox, hardened: non-root user, read-only root file system, tmpfs `/tmp`,
 * every capability dropped, no new privileges, pids/memory/CPU limits, no network at all (egress, when
 * allowed, goes through the host's proxy on a mounted unix socket), and no mounts but the agent folder,
 * the shared folder, checked extra mounts and the egress socket's folder.
 */
export function buildSandboxContainerOptions(input: SandboxContainerInput): ContainerCreateOptions {
  const mounts = [
    { Type: 'bind' as const, Source: input.agentFolder, Target: '/workspace/agent', ReadOnly: false },
    ...(input.globalFolder
      ? [{ Type: 'bind' as const, Source: input.globalFolder, Target: '/workspace/global', ReadOnly: true }]
      : []),
    ...input.extraMounts.map((mount) => ({
      Type: 'bind' as const,
      Source: mount.hostPath,
      Target: mount.containerPath,
      ReadOnly: mount.readonly,
    })),
    ...(input.egressFolder
      ? [{ Type: 'bind' as const, Source: input.egressFolder, Target: egressMountPoint, ReadOnly: true }]
      : []),
  ];
  const memoryBytes = Math.round(input.limits.memoryMb * mebibyte);
  return {
    name: `ngb-${slug(input.namespace)}-${slug(input.spec.sessionId).slice(0, 40)}-${input.nameSuffix}`,
    Image: input.image,
    Cmd: [
      '--root',
      '/workspace',
      '--cwd',
      '/workspace/agent',
      ...(input.mcpServers?.length ? [mcpServersOption, JSON.stringify(input.mcpServers)] : []),
      ...(input.egressFolder ? ['--egress-socket', `${egressMountPoint}/${egressSocketName}`] : []),
    ],
    User: input.user,
    WorkingDir: '/workspace/agent',
    // Only settings the spec names (checked: no secret-looking names); nothing of the host's environment.
    Env: ['HOME=/tmp', 'LANG=C.UTF-8', ...Object.entries(input.spec.env ?? {}).map(([name, value]) => `${name}=${value}`)],
    Labels: {
      [sandboxLabels.marker]: 'true',
      [sandboxLabels.namespace]: input.namespace,
      [sandboxLabels.session]: input.spec.sessionId,
      [sandboxLabels.agent]: input.spec.agentName,
      [sandboxLabels.ownerPid]: String(input.owner.pid),
      [sandboxLabels.ownerStartTime]: input.owner.startTime,
      [sandboxLabels.ownerBootId]: input.owner.bootId,
      [sandboxLabels.ownerHost]: input.owner.host,
    },
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    OpenStdin: true,
    // Stdin closes when the gateway's attach goes away, so the sandbox of a crashed gateway exits by itself.
    StdinOnce: true,
    Tty: false,
    HostConfig: {
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': `rw,nosuid,nodev,size=${input.tmpfsSizeMb}m,mode=1777` },
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Privileged: false,
      PidsLimit: Math.round(input.limits.pids),
      Memory: memoryBytes,
      MemorySwap: memoryBytes,
      NanoCpus: Math.round(input.limits.cpus * 1e9),
      Mounts: mounts,
      IpcMode: 'private',
      // Frames travel over the attached stdio; a log driver would only copy them to disk.
      LogConfig: { Type: 'none', Config: {} },
      AutoRemove: false,
    },
  };
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'x';
}
