import type { Agent } from '@ngb/plugin-sdk';
import { defaultMaxSkills, readSkillScope, type Skill, type SkillProblem, type SkillScopeRead } from './read-skill-scope';
import { skillScopeStamp } from './skill-stamp';

/** The skills of one agent: what its system prompt lists, and what was skipped and why. */
export interface SkillListing {
  /** The agent's own skills (by name), then the global ones it does not override (by name). */
  readonly skills: readonly Skill[];
  /** The agent's problems, then the global folder's. */
  readonly problems: readonly SkillProblem[];
}

/** The skills of the agents, read again only where their folders changed. */
export interface SkillCatalog {
  /**
   * The skills of an agent: its `skills/<name>/SKILL.md` and the shared `global/skills`, an agent
   * skill hiding a global one of the same name; at most `maxSkills` in all (a problem says when
   * more were found). A skills folder whose stamp did not change since it was read is not read
   * again; a missing one costs one `lstat`. Never throws for what it finds on disk.
   */
  list(agent: Pick<Agent, 'id' | 'folder'>): Promise<SkillListing>;
}

/** What {@link createSkillCatalog} needs. */
export interface SkillCatalogOptions {
  agentsDirectory: string;
  /** The largest SKILL.md read; a larger one is skipped. */
  maxBytes: number;
  /** @default 100 */
  maxSkills?: number;
  /**
   * Told of each problem once: again only after it went away and came back.
   * @param agentId the agent, or undefined for a problem of the global folder
   */
  onProblem?: (problem: SkillProblem, agentId: string | undefined) => void;
}

interface ScopeEntry {
  read: SkillScopeRead;
}

/** Merges an agent's skills with the global ones. */
export function mergeSkillScopes(
  folder: string,
  own: Pick<SkillScopeRead, 'skills' | 'problems'>,
  shared: Pick<SkillScopeRead, 'skills' | 'problems'>,
  maxSkills = defaultMaxSkills,
): SkillListing {
  const globalNames = new Set(shared.skills.map((skill) => skill.name));
  const ownNames = new Set(own.skills.map((skill) => skill.name));
  const skills = [
    ...own.skills.map((skill) => (globalNames.has(skill.name) ? { ...skill, overridesGlobal: true } : skill)),
    ...shared.skills.filter((skill) => !ownNames.has(skill.name)),
  ];
  const problems = [...own.problems, ...shared.problems];
  if (skills.length > maxSkills) {
    problems.push({
      scope: 'agent',
      path: `${folder}/skills`,
      reason: `${folder} has ${skills.length} skills (its own and the global ones); only the first ${maxSkills} are listed`,
    });
    skills.length = maxSkills;
  }
  return { skills, problems };
}

/** Creates the skill catalog of one gateway. */
export function createSkillCatalog(options: SkillCatalogOptions): SkillCatalog {
  const { agentsDirectory, maxBytes, onProblem } = options;
  const maxSkills = options.maxSkills ?? defaultMaxSkills;
  const scopes = new Map<string, ScopeEntry>();
  const listings = new Map<string, { own: ScopeEntry; shared: ScopeEntry; listing: SkillListing }>();
  // What was reported, by agent folder or `global`: a problem is reported again only after it went away.
  const reported = new Map<string, Set<string>>();

  const scope = async (folder: string): Promise<ScopeEntry> => {
    const cached = scopes.get(folder);
    if (cached && skillScopeStamp(agentsDirectory, folder, cached.read.folders) === cached.read.stamp) return cached;
    const entry = { read: await readSkillScope(agentsDirectory, folder, { maxBytes, maxSkills }) };
    scopes.set(folder, entry);
    return entry;
  };

  const report = (key: string, problems: readonly SkillProblem[], agentId: string | undefined) => {
    const before = reported.get(key) ?? new Set<string>();
    const now = new Set<string>();
    for (const problem of problems) {
      const id = `${problem.path}\n${problem.reason}`;
      now.add(id);
      if (!before.has(id)) onProblem?.(problem, agentId);
    }
    reported.set(key, now);
  };

  return {
    async list(agent) {
      const own = await scope(agent.folder);
      const shared = await scope('global');
      const cached = listings.get(agent.folder);
      if (cached && cached.own === own && cached.shared === shared) return cached.listing;
      const listing = mergeSkillScopes(agent.folder, own.read, shared.read, maxSkills);
      listings.set(agent.folder, { own, shared, listing });
      report(
        agent.folder,
        listing.problems.filter((problem) => problem.scope === 'agent'),
        agent.id,
      );
      report('global', shared.read.problems, undefined);
      return listing;
    },
  };
}
