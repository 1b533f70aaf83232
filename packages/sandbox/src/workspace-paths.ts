import { lstat, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from './tool-error';

/** The directory tree a sandbox's tools may touch, with symlinks resolved. */
export interface Workspace {
  /** Every path a tool touches must resolve inside it. */
  readonly root: string;
  /** Relative paths are resolved against it; it lies inside `root`. */
  readonly workingDirectory: string;
}

/**
 * Resolves the workspace's directories through symlinks.
 * @throws Error when a directory does not exist or the working directory lies outside the root
 */
export async function openWorkspace(root: string, workingDirectory: string = root): Promise<Workspace> {
  const realRoot = await realpath(path.resolve(root));
  const realWorking = await realpath(path.resolve(realRoot, workingDirectory));
  if (!isInside(realRoot, realWorking)) {
    throw new Error(`[@ngb/sandbox] working directory ${realWorking} is outside the workspace root ${realRoot}`);
  }
  return { root: realRoot, workingDirectory: realWorking };
}

/** True when `candidate` is `parent` or lies below it (both absolute and normalized). */
function isInside(parent: string, candidate: string): boolean {
  const relative = path.relative(parent, candidate);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/**
 * Turns a tool's path argument into an absolute path inside the workspace, following symlinks so
 * that a link pointing out of the workspace is refused too. Paths that do not exist yet are checked
 * through their nearest existing ancestor.
 * @throws ToolError `path_outside_workspace` when the path escapes, `not_found` when `mustExist` and it is missing
 */
export async function resolveWorkspacePath(
  workspace: Workspace,
  inputPath: string,
  options: { mustExist: boolean },
): Promise<string> {
  if (inputPath.includes('\0')) throw new ToolError('invalid_input', 'path contains a NUL byte');
  const absolute = path.resolve(workspace.workingDirectory, inputPath);
  if (!isInside(workspace.root, absolute)) throw outside(inputPath, workspace);
  const real = await resolveThroughLinks(absolute, 0);
  if (!isInside(workspace.root, real.path)) throw outside(inputPath, workspace);
  if (options.mustExist && !real.exists) throw new ToolError('not_found', `no such file or directory: ${inputPath}`);
  return real.path;
}

/** A path as tools show it: relative to the working directory when inside it, else absolute. */
export function displayPath(workspace: Workspace, absolute: string): string {
  if (!isInside(workspace.workingDirectory, absolute)) return absolute;
  return path.relative(workspace.workingDirectory, absolute) || '.';
}

function outside(inputPath: string, workspace: Workspace): ToolError {
  return new ToolError('path_outside_workspace', `path "${inputPath}" is outside the workspace (${workspace.root})`);
}

async function resolveThroughLinks(absolute: string, depth: number): Promise<{ path: string; exists: boolean }> {
  if (depth > 32) throw new ToolError('invalid_input', `too many levels of symbolic links: ${absolute}`);
  try {
    return { path: await realpath(absolute), exists: true };
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  const stats = await lstat(absolute).catch((error: unknown) => {
    if (isMissing(error)) return undefined;
    throw error;
  });
  if (stats?.isSymbolicLink()) {
    const target = path.resolve(path.dirname(absolute), await readlink(absolute));
    const resolved = await resolveThroughLinks(target, depth + 1);
    return { path: resolved.path, exists: false };
  }
  const parent = path.dirname(absolute);
  if (parent === absolute) return { path: absolute, exists: false };
  const resolvedParent = await resolveThroughLinks(parent, depth + 1);
  return { path: path.join(resolvedParent.path, path.basename(absolute)), exists: false };
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
