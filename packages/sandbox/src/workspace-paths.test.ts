import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolError } from './tool-error';
import { displayPath, openWorkspace, resolveWorkspacePath, type Workspace } from './workspace-paths';

let base: string;
let workspace: Workspace;

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'ngb-paths-'));
  await mkdir(path.join(base, 'root/agent/sub'), { recursive: true });
  await mkdir(path.join(base, 'outside'));
  await writeFile(path.join(base, 'outside/secret.txt'), 'secret');
  await writeFile(path.join(base, 'root/agent/ok.txt'), 'ok');
  await symlink(path.join(base, 'outside'), path.join(base, 'root/agent/link-out'));
  await symlink(path.join(base, 'outside/new.txt'), path.join(base, 'root/agent/dangling-out'));
  await symlink(path.join(base, 'root/agent/ok.txt'), path.join(base, 'root/agent/link-in'));
  workspace = await openWorkspace(path.join(base, 'root'), path.join(base, 'root/agent'));
});

afterAll(() => rm(base, { recursive: true, force: true }));

async function codeOf(inputPath: string, mustExist = false): Promise<string> {
  try {
    await resolveWorkspacePath(workspace, inputPath, { mustExist });
    return 'ok';
  } catch (error) {
    if (error instanceof ToolError) return error.code;
    throw error;
  }
}

describe('resolveWorkspacePath', () => {
  it.each([
    ['ok.txt', 'ok'],
    ['sub/new/file.txt', 'ok'],
    ['../agent/ok.txt', 'ok'],
    ['..', 'ok'],
    ['link-in', 'ok'],
    ['../..', 'path_outside_workspace'],
    ['../../outside/secret.txt', 'path_outside_workspace'],
    ['/etc/passwd', 'path_outside_workspace'],
    ['link-out/secret.txt', 'path_outside_workspace'],
    ['link-out/new.txt', 'path_outside_workspace'],
    ['dangling-out', 'path_outside_workspace'],
    ['nul\0byte', 'invalid_input'],
  ])('%s → %s', async (inputPath, expected) => {
    expect(await codeOf(inputPath)).toBe(expected);
  });

  it('accepts an absolute path inside the workspace and reports a missing file when it must exist', async () => {
    expect(await codeOf(path.join(base, 'root/agent/ok.txt'), true)).toBe('ok');
    expect(await codeOf('missing.txt', true)).toBe('not_found');
  });

  it('shows paths relative to the working directory', async () => {
    const absolute = await resolveWorkspacePath(workspace, 'sub/x', { mustExist: false });
    expect(displayPath(workspace, absolute)).toBe('sub/x');
    expect(displayPath(workspace, workspace.root)).toBe(workspace.root);
  });

  it('refuses a working directory outside the root', async () => {
    await expect(openWorkspace(path.join(base, 'root'), path.join(base, 'outside'))).rejects.toThrow(/outside the workspace/);
  });
});
