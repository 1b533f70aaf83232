import type { OpenProject } from '@ngb/host';
import type { Agent } from '@ngb/plugin-sdk';
import { fail } from '../cli-error';

/** The agent of a folder name, or a one-line error listing the known ones. */
export function findAgent(project: Pick<OpenProject, 'agents' | 'paths'>, folder: string): Agent {
  const agent = project.agents.find((candidate) => candidate.folder === folder);
  if (agent) return agent;
  const known = project.agents.map((candidate) => candidate.folder).join(', ') || 'none';
  fail(`unknown agent "${folder}" (agents: ${known}); add one with \`ngb agent add ${folder}\``);
}
