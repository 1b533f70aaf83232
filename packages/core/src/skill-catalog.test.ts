import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SkillProblem } from './read-skill-scope';
import { createSkillCatalog } from './skill-catalog';

let agents: string;
let told: Array<{ problem: SkillProblem; agentId: string | undefined }>;
const andy = { id: 'agent-andy', folder: 'andy' };
const bob = { id: 'agent-bob', folder: 'bob' };
const skillText = (name: string, description = `Does ${name}.`) => `---\nname: ${name}\ndescription: ${description}\n---\n`;
const addSkill = (folder: string, name: string, text = skillText(name)) => {
  mkdirSync(join(agents, folder, 'skills', name), { recursive: true });
  writeFileSync(join(agents, folder, 'skills', name, 'SKILL.md'), text);
};
const catalog = (maxSkills?: number) =>
  createSkillCatalog({
    agentsDirectory: agents,
    maxBytes: 4096,
    maxSkills,
    onProblem: (problem, agentId) => told.push({ problem, agentId }),
  });

beforeEach(() => {
  agents = join(mkdtempSync(join(tmpdir(), 'ngb-skill-catalog-')), 'agents');
  mkdirSync(join(agents, 'andy'), { recursive: true });
  mkdirSync(join(agents, 'bob'), { recursive: true });
  told = [];
});
afterEach(() => rmSync(join(agents, '..'), { recursive: true, force: true }));

describe('createSkillCatalog', () => {
  it("lists an agent's skills, then the global ones; an agent skill overrides a global one and says so", async () => {
    addSkill('andy', 'pdf', skillText('pdf', 'Andy fills PDFs his way.'));
    addSkill('global', 'pdf', skillText('pdf', 'Everyone fills PDFs.'));
    addSkill('global', 'weather');
    const skills = catalog();
    expect((await skills.list(andy)).skills).toEqual([
      {
        name: 'pdf',
        description: 'Andy fills PDFs his way.',
        scope: 'agent',
        path: '/workspace/agent/skills/pdf/SKILL.md',
        overridesGlobal: true,
      },
      { name: 'weather', description: 'Does weather.', scope: 'global', path: '/workspace/global/skills/weather/SKILL.md' },
    ]);
    expect((await skills.list(bob)).skills.map((skill) => [skill.name, skill.scope])).toEqual([
      ['pdf', 'global'],
      ['weather', 'global'],
    ]);
  });

  it('does not read an unchanged folder again, and sees every kind of change at the next look', async () => {
    addSkill('andy', 'alpha', skillText('alpha', 'first text'));
    const skills = catalog();
    const first = await skills.list(andy);
    expect(await skills.list(andy)).toBe(first);

    // Rewritten in place with the same size: only its change time says so.
    writeFileSync(join(agents, 'andy', 'skills', 'alpha', 'SKILL.md'), skillText('alpha', 'other text'));
    const edited = await skills.list(andy);
    expect(edited.skills[0]?.description).toBe('other text');
    expect(await skills.list(andy)).toBe(edited);

    addSkill('andy', 'beta');
    expect((await skills.list(andy)).skills.map((skill) => skill.name)).toEqual(['alpha', 'beta']);

    rmSync(join(agents, 'andy', 'skills', 'alpha', 'SKILL.md'));
    symlinkSync(join(agents, 'andy', 'skills', 'beta', 'SKILL.md'), join(agents, 'andy', 'skills', 'alpha', 'SKILL.md'));
    const linked = await skills.list(andy);
    expect(linked.skills.map((skill) => skill.name)).toEqual(['beta']);
    expect(linked.problems.map((problem) => problem.reason)).toEqual([
      'andy/skills/alpha/SKILL.md is a symbolic link; the skill is skipped',
    ]);

    renameSync(join(agents, 'andy', 'skills'), join(agents, 'andy', 'old-skills'));
    expect(await skills.list(andy)).toEqual({ skills: [], problems: [] });
    addSkill('global', 'shared');
    expect((await skills.list(andy)).skills.map((skill) => skill.name)).toEqual(['shared']);
  });

  it('tells of each problem once, with the agent, and again only after it went away and came back', async () => {
    addSkill('andy', 'broken', '# no front matter\n');
    addSkill('global', 'bad', skillText('not-bad'));
    const skills = catalog();
    await skills.list(andy);
    await skills.list(andy);
    await skills.list(bob);
    expect(told.map(({ problem, agentId }) => [agentId, problem.path])).toEqual([
      ['agent-andy', 'andy/skills/broken/SKILL.md'],
      [undefined, 'global/skills/bad/SKILL.md'],
    ]);
    addSkill('andy', 'broken');
    await skills.list(andy);
    expect(told).toHaveLength(2);
    addSkill('andy', 'broken', '# no front matter, again\n');
    await skills.list(andy);
    await skills.list(andy);
    expect(told.map(({ problem }) => problem.reason).slice(2)).toEqual([
      'andy/skills/broken/SKILL.md: it has no front matter: the file must start with a `---` line, then `name:` and `description:`',
    ]);
  });

  it('lists at most maxSkills in all, and says so', async () => {
    addSkill('andy', 'a1');
    addSkill('andy', 'a2');
    addSkill('global', 'g1');
    addSkill('global', 'g2');
    const listing = await catalog(3).list(andy);
    expect(listing.skills.map((skill) => skill.name)).toEqual(['a1', 'a2', 'g1']);
    expect(listing.problems).toEqual([
      {
        scope: 'agent',
        path: 'andy/skills',
        reason: 'andy has 4 skills (its own and the global ones); only the first 3 are listed',
      },
    ]);
  });
});
