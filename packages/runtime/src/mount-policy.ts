import path from 'node:path';
import type { SandboxMount } from '@ngb/plugin-sdk';

/** The allowlist of host directories extra mounts may come from (a file outside the project). */
export interface MountAllowlist {
  /** Host directories under which extra mounts may be made. */
  allowedRoots: readonly MountAllowlistRoot[];
  /** More path components to refuse, on top of {@link secretPathComponents}. */
  blockedPatterns?: readonly string[];
}

/** One allowed host directory. */
export interface MountAllowlistRoot {
  /** Absolute host path; `~/` is expanded by the loader. */
  path: string;
  /** Whether the main agent may mount below it read-write. @default false */
  readWrite?: boolean;
  /** Why it is allowed, for people reading the file. */
  description?: string;
}

/** A mount that passed the policy, ready for the driver. */
export interface ResolvedMount {
  /** The host path with symlinks resolved. */
  hostPath: string;
  /** Absolute path inside the sandbox, under `/workspace/extra/`. */
  containerPath: string;
  readonly: boolean;
}

/** A mount the policy refused, and why. */
export interface RefusedMount {
  request: SandboxMount;
  reason: string;
}

/** Input of {@link checkMounts}. */
export interface MountPolicyInput {
  requests: readonly SandboxMount[];
  /** Undefined when there is no allowlist file: every extra mount is refused. */
  allowlist: MountAllowlist | undefined;
  isMain: boolean;
  /** Resolves a host path through symlinks; undefined when it does not exist. */
  realpath: (hostPath: string) => string | undefined;
}

/** Path components that look like secrets; a path containing one is never mounted. */
export const secretPathComponents: readonly string[] = [
  '.ssh',
  '.gnupg',
  '.gpg',
  '.aws',
  '.azure',
  '.gcloud',
  '.kube',
  '.docker',
  '.env',
  '.netrc',
  '.npmrc',
  '.pypirc',
  'id_rsa',
  'id_ed25519',
  'credentials',
  'private_key',
  '.secret',
];

/** Where extra mounts appear inside the sandbox. */
export const extraMountRoot = '/workspace/extra';

const agentFolderPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const mountNameSegment = /^[A-Za-z0-9._-]+$/;

/**
 * Checks an agent folder's name: `^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`, and not `global`.
 * @returns why it is refused, or undefined when it is fine
 */
export function checkAgentFolderName(name: string): string | undefined {
  if (!agentFolderPattern.test(name)) return `agent folder name "${name}" must match ${agentFolderPattern.source}`;
  if (name.toLowerCase() === 'global') return 'agent folder name "global" is reserved for the shared folder';
  return undefined;
}

/**
 * Applies the mount policy (DESIGN §6) to an agent's extra mount requests. Pure: the file system
 * is only seen through `realpath`.
 */
export function checkMounts(input: MountPolicyInput): { mounts: ResolvedMount[]; refused: RefusedMount[] } {
  const mounts: ResolvedMount[] = [];
  const refused: RefusedMount[] = [];
  const seen = new Set<string>();
  for (const request of input.requests) {
    const decision = checkOne(request, input, seen);
    if (typeof decision === 'string') refused.push({ request, reason: decision });
    else {
      seen.add(decision.containerPath);
      mounts.push(decision);
    }
  }
  return { mounts, refused };
}

function checkOne(request: SandboxMount, input: MountPolicyInput, seen: Set<string>): ResolvedMount | string {
  const nameProblem = checkContainerPath(request.containerPath);
  if (nameProblem) return nameProblem;
  const containerPath = `${extraMountRoot}/${request.containerPath}`;
  if (seen.has(containerPath)) return `container path "${request.containerPath}" is used twice`;
  if (!input.allowlist) return 'no mount allowlist file exists, so extra mounts are refused';
  if (!path.isAbsolute(request.hostPath)) return `host path "${request.hostPath}" must be absolute`;
  const blocked = [...secretPathComponents, ...(input.allowlist.blockedPatterns ?? [])];
  const requestedSecret = secretComponent(request.hostPath, blocked);
  if (requestedSecret) return `host path "${request.hostPath}" contains "${requestedSecret}", which looks like a secret`;
  const hostPath = input.realpath(request.hostPath);
  if (hostPath === undefined) return `host path "${request.hostPath}" does not exist`;
  const resolvedSecret = secretComponent(hostPath, blocked);
  if (resolvedSecret) return `host path "${request.hostPath}" resolves to "${hostPath}", which contains "${resolvedSecret}"`;
  const root = input.allowlist.allowedRoots.find((candidate) => {
    const realRoot = path.isAbsolute(candidate.path) ? input.realpath(candidate.path) : undefined;
    return realRoot !== undefined && isInside(realRoot, hostPath);
  });
  if (!root) return `host path "${hostPath}" is not under any allowed root of the mount allowlist`;
  const readonly = !input.isMain || root.readWrite !== true || request.readonly !== false;
  return { hostPath, containerPath, readonly };
}

function checkContainerPath(name: string): string | undefined {
  if (name === '' || name.startsWith('/')) return `container path "${name}" must be a relative name under ${extraMountRoot}/`;
  if (name.includes(':')) return `container path "${name}" must not contain ":"`;
  const segments = name.split('/');
  if (segments.some((segment) => segment === '..' || segment === '.'))
    return `container path "${name}" must not contain "." or ".."`;
  if (!segments.every((segment) => mountNameSegment.test(segment))) {
    return `container path "${name}" may only hold letters, digits, ".", "_", "-" and "/"`;
  }
  return undefined;
}

function secretComponent(hostPath: string, blocked: readonly string[]): string | undefined {
  for (const component of hostPath.split(/[/\\]+/)) {
    const lower = component.toLowerCase();
    const hit = blocked.find((pattern) => lower.includes(pattern.toLowerCase()));
    if (hit) return hit;
  }
  return undefined;
}

function isInside(parent: string, candidate: string): boolean {
  const relative = path.relative(parent, candidate);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}
