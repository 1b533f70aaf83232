import { join } from 'node:path';
import { displayPath, listAgentFolders } from '@ngb/host';
import type { CheckResult } from './doctor-checks';

/**
 * One check per agent (and one for the global folder): the skills its system prompt lists, read
 * as the gateway reads them, or each skill the gateway skips with the reason and a fix.
 */
export async function skillChecks(agentsDir: string, maxBytes: number | undefined): Promise<CheckResult[]> {
  const { defaultAgentFileMaxBytes, defaultMaxSkills, mergeSkillScopes, readSkillScope } = await import('@ngb/core');
  const limits = { maxBytes: maxBytes ?? defaultAgentFileMaxBytes, maxSkills: defaultMaxSkills };
  const global = await readSkillScope(agentsDir, 'global', limits);
  const results: CheckResult[] = [];
  const check = (
    folder: string,
    skills: ReadonlyArray<{ name: string }>,
    problems: ReadonlyArray<{ name?: string; path: string; reason: string }>,
  ) => {
    const name = `skills ${folder}`;
    const scope = folder === 'global' ? '--global' : `--agent ${folder}`;
    if (problems.length === 0) {
      const listed = skills.map((skill) => skill.name);
      results.push({
        name,
        status: 'ok',
        detail: listed.length === 0 ? 'none' : `${listed.length} listed: ${listed.join(', ')}`,
      });
      return;
    }
    for (const problem of problems)
      results.push({
        name,
        status: 'warn',
        detail: `skipped: ${problem.reason}`,
        fix:
          problem.name === undefined
            ? `correct ${displayPath(join(agentsDir, problem.path))}`
            : `correct ${displayPath(join(agentsDir, problem.path))}, or remove the skill: \`ngb skill rm ${problem.name} ${scope}\``,
      });
  };
  for (const folder of listAgentFolders(agentsDir).folders) {
    const listing = mergeSkillScopes(folder, await readSkillScope(agentsDir, folder, limits), global, defaultMaxSkills);
    check(
      folder,
      listing.skills,
      listing.problems.filter((problem) => problem.scope === 'agent'),
    );
  }
  check('global', global.skills, global.problems);
  return results;
}
