import { realpathSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { systemFolders } from '@ngb/plugin-sdk';

/** Folders that hold other people's or the system's folders: never an agents folder themselves. */
const sharedRoots = ['/', '/var', '/srv', '/opt', '/home', '/root', '/tmp', '/mnt', '/media'];

/** What the agents folder is checked against. */
export interface AgentsDirContext {
  /** The project folder (the config file's folder). */
  root: string;
  agentsDir: string;
  dataDir: string;
  /** `allowAgentsDirOutsideProject: true` in the config. */
  allowOutsideProject: boolean;
  /** The user's home folder. */
  homeDir: string;
}

/**
 * A path with every symbolic link resolved, also when its last parts do not exist yet (the
 * agents folder is created by `ngb init`): the nearest existing ancestor is resolved.
 */
function resolveThroughLinks(path: string): string {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      return join(realpathSync(current), ...missing.reverse());
    } catch {
      const parent = dirname(current);
      if (parent === current) return path;
      missing.push(basename(current));
      current = parent;
    }
  }
}

const isInside = (path: string, folder: string) => {
  const rest = relative(folder, path);
  return rest !== '' && rest !== '..' && !rest.startsWith(`..${sep}`) && !rest.startsWith(sep);
};
const isSameOrInside = (path: string, folder: string) => path === folder || isInside(path, folder);

/**
 * Why the agents folder may not be used, or undefined when it may. Every folder in it becomes an
 * agent whose sandbox mounts it read-write (and that a gateway running as root hands to the sandbox
 * user), so it must be a folder of the project's own: inside the project folder, or, with
 * `allowAgentsDirOutsideProject`, anywhere but `/`, a system folder, the home folder or a folder
 * holding the project or its data.
 */
export function agentsDirProblem(context: AgentsDirContext): string | undefined {
  const agentsDir = resolveThroughLinks(context.agentsDir);
  const root = resolveThroughLinks(context.root);
  const shown = agentsDir === context.agentsDir ? agentsDir : `${context.agentsDir} (${agentsDir})`;
  const system = systemFolders.find((folder) => isSameOrInside(agentsDir, folder));
  if (system !== undefined) return `${shown} is a system folder (${system}); every folder in it would become an agent`;
  if (sharedRoots.includes(agentsDir)) return `${shown} is a system folder; every folder in it would become an agent`;
  const home = resolveThroughLinks(context.homeDir);
  if (isSameOrInside(home, agentsDir)) return `${shown} is or holds the home folder ${home}`;
  if (isSameOrInside(root, agentsDir)) return `${shown} is or holds the project folder ${root}`;
  if (isSameOrInside(resolveThroughLinks(context.dataDir), agentsDir)) {
    return `${shown} holds the data folder (dataDir) with the database`;
  }
  if (!context.allowOutsideProject && !isInside(agentsDir, root)) {
    return `${shown} is outside the project folder ${root}: use a folder inside it, or set "allowAgentsDirOutsideProject": true`;
  }
  return undefined;
}
