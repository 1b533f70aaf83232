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
  /** The request as given; may be malformed (not an object, no `hostPath`, ...). */
  request: unknown;
  /** Its position in the requests. */
  index: number;
  /** Why it was refused; names the mount by its container or host path. */
  reason: string;
}

/** Input of {@link checkMounts}. */
export interface MountPolicyInput {
  /** The mounts asked for; rows of any other shape are refused with the reason, never thrown on. */
  requests: readonly unknown[];
  /** Undefined when there is no allowlist file: every extra mount is refused. */
  allowlist: MountAllowlist | undefined;
  isMain: boolean;
  /** Resolves a host path through symlinks; undefined when it does not exist. */
  realpath: (hostPath: string) => string | undefined;
  /**
   * The entries within the top two levels of a resolved host path, as relative paths (`a`,
   * `a/b`), links not followed; `[]` for a file; undefined when they cannot all be listed.
   */
  entries: (resolvedHostPath: string) => readonly string[] | undefined;
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
  '.envrc',
  '.netrc',
  '.pgpass',
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
 * is only seen through `realpath` and `entries`. A folder holding a secret-looking entry in its
 * top two levels is refused (not masked: a mask would miss entries created after the start).
 */
export function checkMounts(input: MountPolicyInput): { mounts: ResolvedMount[]; refused: RefusedMount[] } {
  const mounts: ResolvedMount[] = [];
  const refused: RefusedMount[] = [];
  const seen = new Set<string>();
  input.requests.forEach((request, index) => {
    const decision = checkOne(request, input, seen);
    if (typeof decision === 'string') refused.push({ request, index, reason: decision });
    else {
      seen.add(decision.containerPath);
      mounts.push(decision);
    }
  });
  return { mounts, refused };
}

const mountKeys = new Set(['hostPath', 'containerPath', 'readonly']);

function checkShape(request: unknown): SandboxMount | string {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return `a mount must be an object { hostPath, containerPath?, readonly? }, got ${request === null ? 'null' : Array.isArray(request) ? 'a list' : typeof request}`;
  }
  const row = request as Record<string, unknown>;
  const unknown = Object.keys(row).filter((key) => !mountKeys.has(key));
  if (unknown.length > 0)
    return `a mount has unknown keys ${unknown.map((key) => `"${key}"`).join(', ')} (known: hostPath, containerPath, readonly)`;
  if (typeof row.hostPath !== 'string' || row.hostPath === '') return 'a mount needs `hostPath`, a non-empty string';
  if (row.containerPath !== undefined && typeof row.containerPath !== 'string') {
    return `the mount of "${row.hostPath}": \`containerPath\` must be a string`;
  }
  if (row.readonly !== undefined && typeof row.readonly !== 'boolean') {
    return `the mount of "${row.hostPath}": \`readonly\` must be true or false`;
  }
  return row as unknown as SandboxMount;
}

function checkOne(raw: unknown, input: MountPolicyInput, seen: Set<string>): ResolvedMount | string {
  const request = checkShape(raw);
  if (typeof request === 'string') return request;
  const name = request.containerPath ?? path.basename(request.hostPath);
  const nameProblem = checkContainerPath(name);
  if (nameProblem) {
    return request.containerPath === undefined
      ? `the mount of "${request.hostPath}" has no containerPath, and its folder name cannot be one: ${nameProblem}`
      : nameProblem;
  }
  const containerPath = `${extraMountRoot}/${name}`;
  if (seen.has(containerPath)) return `container path "${name}" is used twice`;
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
  const entries = input.entries(hostPath);
  if (entries === undefined) {
    return `host path "${hostPath}" cannot be listed to its second level, so it cannot be checked for secrets`;
  }
  for (const entry of entries) {
    const hit = secretEntry(entry.split('/').at(-1) ?? '', blocked);
    if (hit) {
      return `host path "${hostPath}" holds "${entry}", which looks like a secret ("${hit}"); mount a folder without it, or move it out`;
    }
  }
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

/**
 * Entries inside a mounted folder are matched by word, not by substring, so an ordinary project
 * (`.dockerignore`, `docker-compose.yml`) can be mounted: a dotted pattern matches a name that is
 * it or starts with it and a separator (`.env`, `.env.local`, `.ssh`), any other a run of whole
 * words (`id_rsa.pub`, `aws-credentials.txt`, `my_private_key.pem`).
 */
function secretEntry(name: string, blocked: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const words = lower.split(/[._-]+/).filter((word) => word !== '');
  return blocked.find((pattern) => {
    const wanted = pattern.toLowerCase();
    if (wanted.startsWith('.'))
      return lower === wanted || (lower.startsWith(wanted) && /^[._-]/.test(lower.slice(wanted.length)));
    const wantedWords = wanted.split(/[._-]+/).filter((word) => word !== '');
    if (wantedWords.length === 0) return false;
    return words.some((_, start) => wantedWords.every((word, offset) => words[start + offset] === word));
  });
}

function isInside(parent: string, candidate: string): boolean {
  const relative = path.relative(parent, candidate);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}
