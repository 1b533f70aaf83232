import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, createProject, runCli } from './cli-harness';

let project: { dir: string; remove: () => void };
beforeAll(async () => {
  assertBuilt();
  project = await createProject('skill');
});
afterAll(() => project?.remove());

const ngb = (args: string[]) => runCli(args, { cwd: project.dir });
const skillText = (name: string, description = `Does ${name}.`) =>
  `---\nname: ${name}\ndescription: ${description}\n---\nSteps.\n`;
function source(name: string, text = skillText(name), files: Record<string, string> = {}): string {
  const folder = join(project.dir, 'incoming', name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'SKILL.md'), text);
  for (const [path, content] of Object.entries(files)) writeFileSync(join(folder, path), content);
  return folder;
}
const skillsOf = (folder: string) =>
  existsSync(join(project.dir, 'agents', folder, 'skills'))
    ? readdirSync(join(project.dir, 'agents', folder, 'skills')).sort()
    : [];

describe('ngb skill', { timeout: 60_000 }, () => {
  it('add copies a skill into main, an agent or global; ls lists them with scope and description', async () => {
    expect((await ngb(['agent', 'add', 'research'])).code).toBe(0);
    const added = await ngb([
      'skill',
      'add',
      source('pdf-forms', skillText('pdf-forms', 'Fill in PDF forms.'), { 'fields.md': '#' }),
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/✓ skill pdf-forms added for agent main: .*agents\/main\/skills\/pdf-forms/);
    expect(readFileSync(join(project.dir, 'agents/main/skills/pdf-forms/fields.md'), 'utf8')).toBe('#');
    expect((await ngb(['skill', 'add', source('weather'), '--global'])).stdout).toContain('added for every agent (global)');
    expect((await ngb(['skill', 'add', source('pdf-forms'), '--agent', 'research', '--global'])).stderr).toContain(
      'pass --agent or --global, not both',
    );
    expect((await ngb(['skill', 'add', join(project.dir, 'incoming', 'weather'), '-g', 'research'])).code).toBe(0);

    const all = await ngb(['skill', 'ls']);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^SKILL\s+SCOPE\s+AGENT\s+DESCRIPTION$/m);
    expect(all.stdout).toMatch(/^pdf-forms\s+agent\s+main\s+Fill in PDF forms\.$/m);
    expect(all.stdout).toMatch(/^weather\s+agent\s+research\s+Does weather\.$/m);
    expect(all.stdout).toMatch(/^weather\s+global\s+all\s+Does weather\.$/m);
    const research = await ngb(['skill', 'ls', '--agent', 'research']);
    expect(research.stdout).toMatch(/^weather\s+agent\s+research\s+Does weather\. \(overrides global\)$/m);
    expect(research.stdout).not.toContain('pdf-forms');
    const json = JSON.parse((await ngb(['skill', 'ls', '--agent', 'main', '--json'])).stdout);
    expect(json.skills.map((skill: { name: string; scope: string }) => [skill.name, skill.scope])).toEqual([
      ['pdf-forms', 'agent'],
      ['weather', 'global'],
    ]);
  });

  it('add refuses an existing skill unless --force, then replaces it', async () => {
    const again = await ngb(['skill', 'add', source('notes')]);
    expect(again.code).toBe(0);
    const refused = await ngb(['skill', 'add', source('notes', skillText('notes', 'Newer notes.'))]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/agents\/main\/skills\/notes already exists; pass --force to replace it/);
    const forced = await ngb(['skill', 'add', join(project.dir, 'incoming', 'notes'), '--force']);
    expect(forced.stdout).toContain('skill notes replaced');
    expect(readFileSync(join(project.dir, 'agents/main/skills/notes/SKILL.md'), 'utf8')).toContain('Newer notes.');
  });

  it.each([
    ['an unknown agent', () => ['skill', 'add', source('fine'), '--agent', 'ghost'], 'unknown agent "ghost"'],
    ['a missing folder', () => ['skill', 'add', join(project.dir, 'incoming', 'nowhere')], 'nowhere does not exist'],
    ['an invalid SKILL.md', () => ['skill', 'add', source('broken', '# no front matter\n')], 'SKILL.md: it has no front matter'],
    [
      'a name mismatch',
      () => ['skill', 'add', source('mine', skillText('theirs'))],
      'SKILL.md: its name "theirs" differs from its folder\'s name "mine"',
    ],
    [
      'a folder holding a link',
      () => {
        const folder = source('linky');
        symlinkSync('/etc/passwd', join(folder, 'passwd'));
        return ['skill', 'add', folder];
      },
      'passwd is a symbolic link',
    ],
    [
      'a folder holding a file past the limit',
      () => ['skill', 'add', source('big', skillText('big', 'x'.repeat(1000)), { 'blob.bin': 'y'.repeat(10 * 1024 * 1024 + 1) })],
      'blob.bin is larger than the 10 MiB limit',
    ],
  ])('add refuses %s in one line, exit 1, and writes nothing', async (_case, args, reason) => {
    const before = skillsOf('main');
    const result = await ngb(args());
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(reason);
    expect(skillsOf('main')).toEqual(before);
  });

  it('ls names the skills the gateway skips, with the reason; rm removes a skill', async () => {
    mkdirSync(join(project.dir, 'agents/main/skills/hand-made'), { recursive: true });
    writeFileSync(join(project.dir, 'agents/main/skills/hand-made/SKILL.md'), skillText('other-name'));
    const listed = await ngb(['skill', 'ls', '--agent', 'main']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('1 skipped (the gateway does not list it):');
    expect(listed.stdout).toContain(
      '! main/skills/hand-made/SKILL.md: its name "other-name" differs from its folder\'s name "hand-made"',
    );
    const doctor = await runCli(['doctor'], { cwd: project.dir });
    expect(doctor.stdout).toMatch(/^⚠ skills main\s+skipped: main\/skills\/hand-made\/SKILL\.md: its name "other-name"/m);
    expect(doctor.stdout).toContain('`ngb skill rm hand-made --agent main`');
    expect(doctor.stdout).toMatch(/^✔ skills research\s+1 listed: weather$/m);
    expect(doctor.stdout).toMatch(/^✔ skills global\s+1 listed: weather$/m);

    const removed = await ngb(['skill', 'rm', 'hand-made']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain('skill hand-made removed from agent main');
    expect(skillsOf('main')).not.toContain('hand-made');
    const missing = await ngb(['skill', 'rm', 'hand-made']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no skill "hand-made" for agent main');
    expect((await ngb(['skill', 'rm', 'weather', '--global'])).code).toBe(0);
    expect(skillsOf('global')).toEqual([]);
    expect((await ngb(['skill', 'rm', '..', '--agent', 'research'])).stderr).toContain('".." is not the name of a skill folder');
    expect((await ngb(['skill', 'rm', 'x', '--agent', 'ghost'])).stderr).toContain('unknown agent "ghost"');
  });
});
