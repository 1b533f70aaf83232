import { join } from 'node:path';
import { displayPath, type OpenProject } from '@ngb/host';
import { findAgent } from '../agent/find-agent';
import { fail } from '../cli-error';
import { colors } from '../colors';
import { printLine } from '../output';
import { oneLine, table } from '../render/format';
import { type ProjectFlags, withProject } from '../with-project';

/** Where a skill goes or comes from: `--agent <folder>` (main by default) or `--global`. */
interface ScopeFlags {
  agent: string | undefined;
  global: boolean;
}

function targetFolder(project: OpenProject, flags: ScopeFlags, command: string): string {
  if (flags.agent !== undefined && flags.global) fail(`${command}: pass --agent or --global, not both`);
  return flags.global ? 'global' : findAgent(project, flags.agent ?? 'main').folder;
}

async function maxBytesOf(project: OpenProject): Promise<number> {
  const { defaultAgentFileMaxBytes } = await import('@ngb/core');
  return project.config.gateway.agentFileMaxBytes ?? defaultAgentFileMaxBytes;
}

const where = (folder: string) => (folder === 'global' ? 'every agent (global)' : `agent ${folder}`);

/** `ngb skill ls [--agent folder]`: an agent's skills as its prompt lists them, or every agent's own and the global ones. */
export async function listSkills(flags: ProjectFlags & { agent: string | undefined; json: boolean }): Promise<void> {
  await withProject(flags, async (project) => {
    const { defaultMaxSkills, mergeSkillScopes, readSkillScope } = await import('@ngb/core');
    const limits = { maxBytes: await maxBytesOf(project), maxSkills: defaultMaxSkills };
    const read = (folder: string) => readSkillScope(project.paths.agentsDir, folder, limits);
    const global = await read('global');
    const rows: Array<{ agent: string; name: string; scope: string; description: string; overridesGlobal?: boolean }> = [];
    const problems: Array<{ agent?: string; scope: string; path: string; name?: string; reason: string }> = [];
    if (flags.agent !== undefined) {
      const agent = findAgent(project, flags.agent);
      const listing = mergeSkillScopes(agent.folder, await read(agent.folder), global, defaultMaxSkills);
      for (const skill of listing.skills) rows.push({ agent: agent.folder, ...skill });
      for (const problem of listing.problems)
        problems.push(problem.scope === 'agent' ? { agent: agent.folder, ...problem } : problem);
    } else {
      for (const agent of project.agents) {
        const own = await read(agent.folder);
        for (const skill of own.skills) rows.push({ agent: agent.folder, ...skill });
        for (const problem of own.problems) problems.push({ agent: agent.folder, ...problem });
      }
      for (const skill of global.skills) rows.push({ agent: 'all', ...skill });
      problems.push(...global.problems);
    }
    if (flags.json) {
      printLine(JSON.stringify({ skills: rows, problems }));
      return;
    }
    if (rows.length === 0)
      printLine(
        `no skills${flags.agent ? ` for ${flags.agent}` : ''}: \`ngb skill add <folder>\` copies in a folder holding a SKILL.md`,
      );
    else {
      const lines = table(
        ['SKILL', 'SCOPE', 'AGENT', 'DESCRIPTION'],
        rows.map((row) => [
          row.name,
          row.scope,
          row.agent,
          `${oneLine(row.description, 80)}${row.overridesGlobal ? colors.dim(' (overrides global)') : ''}`,
        ]),
      );
      printLine(colors.dim(lines[0] ?? ''));
      for (const line of lines.slice(1)) printLine(line);
    }
    if (problems.length > 0) {
      printLine();
      printLine(
        colors.yellow(`${problems.length} skipped (the gateway does not list ${problems.length === 1 ? 'it' : 'them'}):`),
      );
      for (const problem of problems) printLine(`  ${colors.yellow('!')} ${problem.reason}`);
    }
  });
}

/** `ngb skill add <folder> [--agent folder | --global] [--force]`. */
export async function addSkill(flags: ProjectFlags & ScopeFlags & { folder: string; force: boolean }): Promise<void> {
  await withProject(flags, async (project) => {
    const folder = targetFolder(project, flags, 'ngb skill add');
    const { installSkill } = await import('@ngb/core');
    const result = await installSkill({
      agentsDirectory: project.paths.agentsDir,
      folder,
      source: flags.folder,
      replace: flags.force,
      maxBytes: await maxBytesOf(project),
    });
    if (result.status === 'exists')
      fail(
        `ngb skill add: ${displayPath(join(project.paths.agentsDir, result.path))} already exists; pass --force to replace it`,
      );
    if (result.status === 'refused') fail(`ngb skill add ${flags.folder}: ${result.reason}`);
    printLine(
      `${colors.green('✓')} skill ${result.name} ${result.replaced ? 'replaced' : 'added'} for ${where(folder)}: ${displayPath(join(project.paths.agentsDir, result.path))}`,
    );
  });
}

/** `ngb skill rm <name> [--agent folder | --global]`. */
export async function removeSkill(flags: ProjectFlags & ScopeFlags & { name: string }): Promise<void> {
  await withProject(flags, async (project) => {
    const folder = targetFolder(project, flags, 'ngb skill rm');
    const core = await import('@ngb/core');
    const result = core.removeSkill({ agentsDirectory: project.paths.agentsDir, folder, name: flags.name });
    if (result.status === 'missing')
      fail(`ngb skill rm: no skill "${flags.name}" for ${where(folder)} (\`ngb skill ls\` lists them)`);
    if (result.status === 'refused') fail(`ngb skill rm ${flags.name}: ${result.reason}`);
    printLine(`${colors.green('✓')} skill ${flags.name} removed from ${where(folder)}`);
  });
}
