import { realpathSync } from 'node:fs';
import { relative, sep } from 'node:path';
import type { NgbConfig } from '../config/config-schema';

const realpath = (path: string) => {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
};

const isSameOrInside = (path: string, folder: string) => {
  const rest = relative(folder, path);
  return rest === '' || (rest !== '..' && !rest.startsWith(`..${sep}`) && !rest.startsWith(sep));
};

/**
 * Why host code may not be loaded from `path`, or undefined when it may: it must be out of reach
 * of the agents (which write their folders, and extra mounts that are not read-only) and must not
 * hold the agents folder or the data folder (an agent would then write into the plugin's folder).
 * Links are resolved first.
 */
export function agentWritableProblem(
  path: string,
  context: { agentsDir: string; dataDir: string; config: NgbConfig },
): string | undefined {
  const place = realpath(path);
  const agentsDir = realpath(context.agentsDir);
  if (isSameOrInside(place, agentsDir) || isSameOrInside(agentsDir, place))
    return `${place} is or holds an agents folder (${agentsDir}), which the agents write`;
  if (isSameOrInside(realpath(context.dataDir), place)) return `${place} holds the data folder (dataDir)`;
  for (const [folder, agent] of Object.entries(context.config.agents)) {
    for (const mount of agent.mounts ?? []) {
      if (mount.readonly === true) continue;
      const hostPath = realpath(mount.hostPath);
      if (isSameOrInside(place, hostPath) || isSameOrInside(hostPath, place))
        return `${place} is or holds ${hostPath}, which the agent "${folder}" may write (a mount not marked "readonly": true)`;
    }
  }
  return undefined;
}
