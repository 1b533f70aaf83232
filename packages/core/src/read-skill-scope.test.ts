import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSkillScope } from './read-skill-scope';

let root: string;
let agents: string;
let outside: string;
const marker = 'OUTSIDE-SKILL-7d1c';
const skillText = (name: string, description = `Does ${name}.`) => `---\nname: ${name}\ndescription: ${description}\n---\nbody\n`;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ngb-skills-'));
  agents = join(root, 'agents');
  outside = join(root, 'outside');
  mkdirSync(join(agents, 'main', 'skills'), { recursive: true });
  mkdirSync(join(outside, 'evil'), { recursive: true });
  writeFileSync(join(outside, 'evil', 'SKILL.md'), skillText('evil', marker));
  writeFileSync(join(outside, 'SKILL.md'), skillText('linked', marker));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const addSkill = (folder: string, name: string, text = skillText(name)) => {
  mkdirSync(join(agents, folder, 'skills', name), { recursive: true });
  writeFileSync(join(agents, folder, 'skills', name, 'SKILL.md'), text);
};
const read = (folder = 'main', limits: { maxBytes?: number; maxSkills?: number } = {}) =>
  readSkillScope(agents, folder, { maxBytes: limits.maxBytes ?? 64 * 1024, maxSkills: limits.maxSkills ?? 100 });
const reasons = async (folder = 'main') => (await read(folder)).problems.map((problem) => problem.reason);

describe('readSkillScope', () => {
  it('lists valid skills by name with the path the sandbox sees, for an agent and for global', async () => {
    addSkill('main', 'zeta');
    addSkill('main', 'alpha');
    addSkill('global', 'shared');
    expect((await read()).skills).toEqual([
      { name: 'alpha', description: 'Does alpha.', scope: 'agent', path: '/workspace/agent/skills/alpha/SKILL.md' },
      { name: 'zeta', description: 'Does zeta.', scope: 'agent', path: '/workspace/agent/skills/zeta/SKILL.md' },
    ]);
    expect(await read('global')).toMatchObject({
      skills: [{ name: 'shared', scope: 'global', path: '/workspace/global/skills/shared/SKILL.md' }],
      problems: [],
    });
  });

  it('finds nothing, and no problem, without a skills folder or an agent folder', async () => {
    rmSync(join(agents, 'main', 'skills'), { recursive: true });
    expect(await read()).toMatchObject({ skills: [], problems: [], stamp: '-' });
    expect(await read('nobody')).toMatchObject({ skills: [], problems: [] });
    expect(await read('global')).toMatchObject({ skills: [], problems: [] });
  });

  it('follows no link: not the skills folder, not a skill folder, not a SKILL.md', async () => {
    mkdirSync(join(agents, 'other'));
    symlinkSync(outside, join(agents, 'other', 'skills'));
    expect(await read('other')).toMatchObject({
      skills: [],
      problems: [{ scope: 'agent', path: 'other/skills', reason: 'other/skills is a symbolic link, not a folder' }],
    });
    symlinkSync(join(outside, 'evil'), join(agents, 'main', 'skills', 'evil'));
    mkdirSync(join(agents, 'main', 'skills', 'linked'));
    symlinkSync(join(outside, 'SKILL.md'), join(agents, 'main', 'skills', 'linked', 'SKILL.md'));
    const found = await read();
    expect(found.skills).toEqual([]);
    expect(found.problems).toEqual([
      {
        scope: 'agent',
        path: 'main/skills/evil',
        name: 'evil',
        reason: 'main/skills/evil is a symbolic link; the host follows no links in agent folders',
      },
      {
        scope: 'agent',
        path: 'main/skills/linked/SKILL.md',
        name: 'linked',
        reason: 'main/skills/linked/SKILL.md is a symbolic link; the skill is skipped',
      },
    ]);
    expect(JSON.stringify(found)).not.toContain(marker);
  });

  it('refuses an agent folder or a global folder that is a link', async () => {
    symlinkSync(outside, join(agents, 'global'));
    mkdirSync(join(outside, 'skills'));
    const found = await read('global');
    expect(found.skills).toEqual([]);
    expect(found.problems[0]?.reason).toMatch(/^global cannot be read: the agent folder is a symbolic link/);
  });

  it('skips a FIFO at once, and a SKILL.md that is a folder', async () => {
    mkdirSync(join(agents, 'main', 'skills', 'pipe'));
    execFileSync('mkfifo', [join(agents, 'main', 'skills', 'pipe', 'SKILL.md')]);
    mkdirSync(join(agents, 'main', 'skills', 'nested', 'SKILL.md'), { recursive: true });
    expect(await reasons()).toEqual([
      'main/skills/nested/SKILL.md is a folder; the skill is skipped',
      'main/skills/pipe/SKILL.md is a named pipe (FIFO); the skill is skipped',
    ]);
  });

  it('skips a SKILL.md past the size cap without reading it whole, and keeps the others', async () => {
    addSkill('main', 'small');
    mkdirSync(join(agents, 'main', 'skills', 'huge'));
    const huge = join(agents, 'main', 'skills', 'huge', 'SKILL.md');
    writeFileSync(huge, skillText('huge'));
    // 8 GiB, sparse: reading it whole would take minutes and all the memory.
    truncateSync(huge, 8 * 1024 ** 3);
    const found = await read();
    expect(found.skills.map((skill) => skill.name)).toEqual(['small']);
    expect(found.problems).toEqual([
      {
        scope: 'agent',
        path: 'main/skills/huge/SKILL.md',
        name: 'huge',
        reason: 'main/skills/huge/SKILL.md is larger than the 64 KiB limit; the skill is skipped',
      },
    ]);
  });

  it('says which skill is invalid and why: front matter, name, encoding, a missing SKILL.md', async () => {
    addSkill('main', 'good');
    addSkill('main', 'mismatch', skillText('other-name'));
    addSkill('main', 'no-front', '# Title only\n');
    addSkill('main', 'latin1');
    writeFileSync(
      join(agents, 'main', 'skills', 'latin1', 'SKILL.md'),
      Buffer.from('---\nname: latin1\ndescription: caf\xe9\n---\n', 'latin1'),
    );
    mkdirSync(join(agents, 'main', 'skills', 'empty'));
    mkdirSync(join(agents, 'main', 'skills', 'Bad_Name'));
    writeFileSync(join(agents, 'main', 'skills', 'Bad_Name', 'SKILL.md'), skillText('Bad_Name'));
    writeFileSync(join(agents, 'main', 'skills', 'notes.txt'), 'a stray file');
    writeFileSync(join(agents, 'main', 'skills', '.DS_Store'), 'ignored');
    const found = await read();
    expect(found.skills.map((skill) => skill.name)).toEqual(['good']);
    expect(found.problems.map((problem) => [problem.name, problem.reason])).toEqual([
      ['notes.txt', 'main/skills/notes.txt is not a folder: a skill is a folder holding a SKILL.md'],
      [
        'Bad_Name',
        'main/skills/Bad_Name/SKILL.md: its name "Bad_Name" is invalid: it may hold only lowercase letters, digits and hyphens',
      ],
      ['empty', 'main/skills/empty has no SKILL.md'],
      ['latin1', 'main/skills/latin1/SKILL.md is not valid UTF-8'],
      ['mismatch', 'main/skills/mismatch/SKILL.md: its name "other-name" differs from its folder\'s name "mismatch"'],
      [
        'no-front',
        'main/skills/no-front/SKILL.md: it has no front matter: the file must start with a `---` line, then `name:` and `description:`',
      ],
    ]);
  });

  it('writes control characters of folder names as escapes, never raw', async () => {
    mkdirSync(join(agents, 'main', 'skills', 'evil\u001b[2J'));
    expect((await read()).problems).toEqual([
      {
        scope: 'agent',
        path: 'main/skills/evil\\u001b[2J/SKILL.md',
        name: 'evil\\u001b[2J',
        reason: 'main/skills/evil\\u001b[2J has no SKILL.md',
      },
    ]);
  });

  it('reads at most maxSkills skill folders, the first by name, and says so', async () => {
    for (const name of ['c', 'a', 'd', 'b']) addSkill('main', name);
    const found = await read('main', { maxSkills: 2 });
    expect(found.skills.map((skill) => skill.name)).toEqual(['a', 'b']);
    expect(found.folders).toEqual(['a', 'b']);
    expect(found.problems).toEqual([
      { scope: 'agent', path: 'main/skills', reason: 'main/skills holds 4 skill folders; only the first 2 by name are read' },
    ]);
  });
});
