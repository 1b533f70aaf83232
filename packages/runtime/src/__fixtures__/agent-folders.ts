import { chmod, chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Temporary agent folders, writable by the sandbox user (uid 1000) whoever runs the tests. */
export interface AgentFolders {
  base: string;
  /** Makes `<base>/<name>` (the name must be a valid agent folder name). */
  make(name: string): Promise<string>;
  remove(): Promise<void>;
}

let counter = 0;

export async function createAgentFolders(label: string): Promise<AgentFolders> {
  const base = await mkdtemp(path.join(os.tmpdir(), `ngb-${label}-`));
  await chmod(base, 0o755);
  return {
    base,
    async make(name) {
      counter += 1;
      const folder = path.join(base, `${name}-${counter}`);
      await mkdir(folder);
      await makeWritableForSandbox(folder);
      return folder;
    },
    remove: () => rm(base, { recursive: true, force: true }),
  };
}

/** Gives a directory to uid 1000 when we may, else opens it to everyone. */
export async function makeWritableForSandbox(directory: string): Promise<void> {
  try {
    await chown(directory, 1000, 1000);
  } catch {
    await chmod(directory, 0o777);
  }
}
