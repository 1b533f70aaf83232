import { readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { SandboxError } from '@ngb/plugin-sdk';
import { checkMounts, type MountAllowlist, type RefusedMount, type ResolvedMount } from './mount-policy';

/** Input of {@link resolveMounts}. */
export interface ResolveMountsInput {
  /** `SandboxSpec.mounts`, as given (rows may be malformed). */
  requests: readonly unknown[];
  allowlist: MountAllowlist | undefined;
  isMain: boolean;
  sessionId: string;
}

/**
 * Runs the mount policy against the real file system: resolves every host path and allowed root,
 * then lists the top two levels of the folders that passed every other check (nothing outside
 * the allowlist is walked).
 * @throws SandboxError `mount_refused` with every refused mount's reason
 */
export async function resolveMounts(input: ResolveMountsInput): Promise<ResolvedMount[]> {
  if (input.requests.length === 0) return [];
  const resolved = new Map<string, string | undefined>();
  const hostPaths = input.requests.flatMap((request) => {
    const hostPath = (request as { hostPath?: unknown } | null)?.hostPath;
    return typeof hostPath === 'string' && path.isAbsolute(hostPath) ? [hostPath] : [];
  });
  const roots = (input.allowlist?.allowedRoots ?? []).map((root) => root.path).filter((root) => path.isAbsolute(root));
  await Promise.all(
    [...hostPaths, ...roots].map(async (hostPath) => resolved.set(hostPath, await realpath(hostPath).catch(() => undefined))),
  );
  const policy = {
    requests: input.requests,
    allowlist: input.allowlist,
    isMain: input.isMain,
    realpath: resolved.get.bind(resolved),
  };
  const candidates = checkMounts({ ...policy, entries: () => [] });
  const listed = new Map<string, readonly string[] | undefined>();
  for (const mount of candidates.mounts) listed.set(mount.hostPath, await listTopEntries(mount.hostPath));
  const decision = checkMounts({ ...policy, entries: (hostPath) => listed.get(hostPath) });
  if (decision.refused.length > 0) {
    const reasons = decision.refused.map(describeRefusal).join('; ');
    throw new SandboxError('mount_refused', `[@ngb/runtime] mount refused for session "${input.sessionId}": ${reasons}`);
  }
  return decision.mounts;
}

function describeRefusal(refused: RefusedMount): string {
  const request = refused.request as { containerPath?: unknown; hostPath?: unknown } | null;
  const label = typeof request?.containerPath === 'string' ? request.containerPath : `mounts[${refused.index}]`;
  return `${label}: ${refused.reason}`;
}

/**
 * The names in a folder and in its subfolders, as `name` and `name/child`; links are not
 * followed (inside the sandbox they point into the container, not the host).
 * @returns `[]` for a file, undefined when a folder cannot be read
 */
async function listTopEntries(hostPath: string): Promise<string[] | undefined> {
  let top: Awaited<ReturnType<typeof readEntries>>;
  try {
    top = await readEntries(hostPath);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOTDIR' ? [] : undefined;
  }
  const names: string[] = [];
  for (const entry of top) {
    names.push(entry.name);
    if (!entry.isDirectory()) continue;
    const children = await readEntries(path.join(hostPath, entry.name)).catch(() => undefined);
    if (children === undefined) return undefined;
    for (const child of children) names.push(`${entry.name}/${child.name}`);
  }
  return names;
}

function readEntries(directory: string) {
  return readdir(directory, { withFileTypes: true });
}
