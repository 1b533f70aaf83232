import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '@ngb/plugin-sdk';
import { closeDescriptors, descriptorPath, isRefusal, openAgentFolder, openChildFolder } from './agent-folder-descriptors';
import { workspaceAgentPath } from './inbox-attachments';
import { readAgentFile } from './read-agent-file';
import { formatBytes } from './save-inbox-file';
import { parseSkillFrontMatter } from './skill-front-matter';
import { entryStamp } from './skill-stamp';

/** Where the shared global folder is in every sandbox (read-only). */
const workspaceGlobalPath = '/workspace/global';

/** The most skills listed for one agent, and the most skill folders read in one skills folder. */
export const defaultMaxSkills = 100;

/** Where a skill comes from: the agent's own folder, or the shared global folder. */
export type SkillScope = 'agent' | 'global';

/** A valid skill: what the system prompt lists. */
export interface Skill {
  name: string;
  description: string;
  scope: SkillScope;
  /** Its SKILL.md as the sandbox sees it, such as `/workspace/agent/skills/pdf-forms/SKILL.md`. */
  path: string;
  /** True for an agent skill that hides a global skill of the same name. */
  overridesGlobal?: boolean;
}

/** A skill that was skipped, or a skills folder that could not be read, and why. */
export interface SkillProblem {
  scope: SkillScope;
  /** The path under the agents folder, such as `main/skills/pdf-forms/SKILL.md`. */
  path: string;
  /** The skill's folder name, when the problem is one skill's. */
  name?: string;
  /** One line for a person. */
  reason: string;
}

/** What one skills folder (`<agent>/skills` or `global/skills`) holds. */
export interface SkillScopeRead {
  skills: Skill[];
  problems: SkillProblem[];
  /** The skill folders read, by name. */
  folders: string[];
  /**
   * What the skills folder looked like just before it was read (see `skillScopeStamp`): the
   * same stamp later means this read still holds.
   */
  stamp: string;
}

/**
 * Names and words from an agent folder as they may be shown in a terminal or a log: control and
 * direction-changing characters written as `\u001b`.
 */
function printable(text: string): string {
  return text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
    /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The sandbox path of a skill's SKILL.md. */
function skillSandboxPath(scope: SkillScope, name: string): string {
  return `${scope === 'agent' ? workspaceAgentPath : workspaceGlobalPath}/skills/${name}/SKILL.md`;
}

/**
 * Reads the skills of one folder the way the host reads anything an agent can write: the agent (or
 * global) folder and its `skills` folder are opened without following links and walked by
 * descriptor; each `<name>/SKILL.md` is read with {@link readAgentFile} (no link at any step, a
 * regular file only, at most `maxBytes` bytes: a larger one is skipped, never read whole). Each
 * skipped skill is a {@link SkillProblem}; at most `maxSkills` skill folders are read, by name.
 * @param folder the agent's folder name, or `global`
 * @returns the valid skills and the problems; never throws for what it finds on disk
 */
export async function readSkillScope(
  agentsDirectory: string,
  folder: string,
  options: { maxBytes: number; maxSkills: number },
): Promise<SkillScopeRead> {
  const scope: SkillScope = folder === 'global' ? 'global' : 'agent';
  const skillsPath = join(agentsDirectory, folder, 'skills');
  // The usual case, an agent with no skills folder, costs this one look.
  const result: SkillScopeRead = { skills: [], problems: [], folders: [], stamp: entryStamp(skillsPath) };
  if (result.stamp === '-') return result;
  const problem = (path: string, reason: string, name?: string) =>
    result.problems.push(
      name === undefined
        ? { scope, path: printable(path), reason: printable(reason) }
        : { scope, path: printable(path), name: printable(name), reason: printable(reason) },
    );
  const descriptors: number[] = [];
  try {
    const root = openAgentFolder(agentsDirectory, folder, descriptors);
    if (isRefusal(root)) {
      problem(folder, `${folder} cannot be read: ${root.refused}`);
      return result;
    }
    const skills = openChildFolder(root, 'skills', descriptors);
    if (isRefusal(skills)) {
      problem(`${folder}/skills`, `${folder}/${skills.refused}`);
      return result;
    }
    const base = descriptorPath(skills.descriptor);
    const entries = readdirSync(base, { withFileTypes: true })
      .filter((entry) => !entry.name.startsWith('.'))
      .sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
    const folders = entries.filter((entry) => entry.isDirectory());
    for (const entry of entries) {
      if (entry.isDirectory()) continue;
      const path = `${folder}/skills/${entry.name}`;
      problem(
        path,
        entry.isSymbolicLink()
          ? `${path} is a symbolic link; the host follows no links in agent folders`
          : `${path} is not a folder: a skill is a folder holding a SKILL.md`,
        entry.name,
      );
    }
    if (folders.length > options.maxSkills)
      problem(
        `${folder}/skills`,
        `${folder}/skills holds ${folders.length} skill folders; only the first ${options.maxSkills} by name are read`,
      );
    for (const entry of folders.slice(0, options.maxSkills)) {
      const { name } = entry;
      result.folders.push(name);
      // Looked at before it is read: a change made while it is read shows at the next look.
      result.stamp += `|${entryStamp(join(skillsPath, name, 'SKILL.md'))}`;
      const path = `${folder}/skills/${name}/SKILL.md`;
      const found = await readAgentFile(base, `${name}/SKILL.md`, { maxBytes: options.maxBytes });
      if (found.status === 'missing') problem(path, `${folder}/skills/${name} has no SKILL.md`, name);
      else if (found.status === 'refused') problem(path, `${folder}/skills/${found.detail}; the skill is skipped`, name);
      else if (found.truncated)
        problem(path, `${path} is larger than the ${formatBytes(options.maxBytes)} limit; the skill is skipped`, name);
      else if (found.invalidUtf8) problem(path, `${path} is not valid UTF-8`, name);
      else {
        const parsed = await parseSkillFrontMatter(found.text, name);
        if (parsed.status === 'invalid') problem(path, `${path}: ${parsed.reason}`, name);
        else result.skills.push({ ...parsed.skill, scope, path: skillSandboxPath(scope, name) });
      }
    }
    return result;
  } catch (error) {
    problem(
      `${folder}/skills`,
      `${folder}/skills cannot be read (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`,
    );
    return result;
  } finally {
    closeDescriptors(descriptors);
  }
}
