import { execFileSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installSkill, removeSkill } from './install-skill';
import { readSkillScope } from './read-skill-scope';

let root: string;
let agents: string;
let sources: string;
let outside: string;
const skillText = (name: string, description = `Does ${name}.`) =>
  `---\nname: ${name}\ndescription: ${description}\n---\nSteps.\n`;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ngb-install-skill-'));
  agents = join(root, 'agents');
  sources = join(root, 'sources');
  outside = join(root, 'outside');
  for (const folder of [join(agents, 'main'), sources, outside]) mkdirSync(folder, { recursive: true });
  writeFileSync(join(outside, 'keep.txt'), 'KEEP');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function source(name: string, files: Record<string, string> = {}, text = skillText(name)): string {
  const folder = join(sources, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'SKILL.md'), text);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(folder, path, '..'), { recursive: true });
    writeFileSync(join(folder, path), content);
  }
  return folder;
}
const install = (from: string, options: { folder?: string; replace?: boolean; maxFileBytes?: number } = {}) =>
  installSkill({
    agentsDirectory: agents,
    folder: options.folder ?? 'main',
    source: from,
    replace: options.replace ?? false,
    maxBytes: 1024,
    maxFileBytes: options.maxFileBytes,
  });
/** Entries of the skills folder, hidden ones included: a failed copy leaves none. */
const skillsFolder = (folder = 'main') =>
  existsSync(join(agents, folder, 'skills')) ? readdirSync(join(agents, folder, 'skills')).sort() : [];

describe('installSkill', () => {
  it('copies a skill folder with its subfolders and scripts, and the gateway then lists it', async () => {
    const from = source('pdf-forms', { 'scripts/fill.sh': '#!/bin/sh\necho fill\n', 'reference/fields.md': '# Fields' });
    execFileSync('chmod', ['+x', join(from, 'scripts', 'fill.sh')]);
    expect(await install(from)).toEqual({
      status: 'installed',
      name: 'pdf-forms',
      description: 'Does pdf-forms.',
      path: 'main/skills/pdf-forms',
      replaced: false,
      entries: 5,
      bytes: expect.any(Number),
    });
    const copy = join(agents, 'main', 'skills', 'pdf-forms');
    expect(readFileSync(join(copy, 'reference', 'fields.md'), 'utf8')).toBe('# Fields');
    expect(statSync(join(copy, 'scripts', 'fill.sh')).mode & 0o777).toBe(0o755);
    expect(statSync(join(copy, 'SKILL.md')).mode & 0o777).toBe(0o644);
    expect(skillsFolder()).toEqual(['pdf-forms']);
    const listed = await readSkillScope(agents, 'main', { maxBytes: 1024, maxSkills: 100 });
    expect(listed.skills.map((skill) => skill.name)).toEqual(['pdf-forms']);
  });

  it("gives the copy to the agent folder's owner when it runs as root", async () => {
    chownSync(join(agents, 'main'), 1000, 1000);
    await install(source('owned', { 'sub/file.txt': 'x' }));
    const expected = process.getuid?.() === 0 ? 1000 : process.getuid?.();
    for (const path of ['skills', 'skills/owned', 'skills/owned/SKILL.md', 'skills/owned/sub', 'skills/owned/sub/file.txt'])
      expect(statSync(join(agents, 'main', path)).uid, path).toBe(expected);
  });

  it('refuses to replace an existing skill unless asked, then swaps it whole', async () => {
    await install(source('notes', { 'old.txt': 'old' }));
    rmSync(join(sources, 'notes'), { recursive: true });
    const newer = source('notes', { 'new.txt': 'new' }, skillText('notes', 'The new notes.'));
    expect(await install(newer)).toEqual({ status: 'exists', path: 'main/skills/notes' });
    expect(existsSync(join(agents, 'main', 'skills', 'notes', 'old.txt'))).toBe(true);
    expect(await install(newer, { replace: true })).toMatchObject({ status: 'installed', replaced: true });
    expect(readdirSync(join(agents, 'main', 'skills', 'notes')).sort()).toEqual(['SKILL.md', 'new.txt']);
    expect(skillsFolder()).toEqual(['notes']);
  });

  it('installs into the global folder, creating it', async () => {
    expect(await install(source('shared'), { folder: 'global' })).toMatchObject({ path: 'global/skills/shared' });
    expect(existsSync(join(agents, 'global', 'skills', 'shared', 'SKILL.md'))).toBe(true);
  });

  it.each([
    [
      'a link inside',
      () => symlinkSync(join(outside, 'keep.txt'), join(source('linky'), 'data.txt')),
      'linky',
      'data.txt is a symbolic link',
    ],
    ['a link to a folder inside', () => symlinkSync(outside, join(source('linky'), 'more')), 'linky', 'more is a symbolic link'],
    ['a FIFO inside', () => execFileSync('mkfifo', [join(source('piped'), 'pipe')]), 'piped', 'pipe is a named pipe (FIFO)'],
    [
      'a file past the limit',
      () => source('big', { 'data/blob.bin': 'x'.repeat(2048) }),
      'big',
      'data/blob.bin is larger than the 1 KiB limit (2 KiB)',
    ],
    [
      'a SKILL.md past the limit',
      () => source('long', {}, skillText('long', 'y'.repeat(1000))),
      'long',
      'SKILL.md is larger than the 1 KiB limit',
    ],
    ['no SKILL.md', () => mkdirSync(join(sources, 'bare')), 'bare', 'has no SKILL.md'],
    [
      'a name mismatch',
      () => source('mine', {}, skillText('theirs')),
      'mine',
      'its name "theirs" differs from its folder\'s name "mine"',
    ],
    ['invalid front matter', () => source('nofront', {}, '# no front matter'), 'nofront', 'SKILL.md: it has no front matter'],
    [
      'a folder name that cannot name a skill',
      () => source('Bad_Name'),
      'Bad_Name',
      'the folder name "Bad_Name" cannot name a skill',
    ],
    ['a missing folder', () => undefined, 'ghost', 'ghost does not exist'],
  ])('refuses %s, and writes nothing', async (_case, prepare, name, reason) => {
    prepare();
    const result = await install(join(sources, name), { maxFileBytes: 1024 });
    expect(result.status).toBe('refused');
    expect(result.status === 'refused' && result.reason).toContain(reason);
    expect(skillsFolder()).toEqual([]);
    expect(readdirSync(outside)).toEqual(['keep.txt']);
  });

  it('refuses a source that is itself a link', async () => {
    const real = source('real');
    symlinkSync(real, join(sources, 'alias'));
    expect(await install(join(sources, 'alias'))).toEqual({
      status: 'refused',
      reason: `${join(sources, 'alias')} is a symbolic link: name the folder itself`,
    });
  });

  it('refuses an agent whose skills folder is a link, and writes nothing through it', async () => {
    symlinkSync(outside, join(agents, 'main', 'skills'));
    expect(await install(source('any'))).toEqual({
      status: 'refused',
      reason: 'main/skills is a symbolic link, not a folder',
    });
    expect(readdirSync(outside)).toEqual(['keep.txt']);
  });
});

describe('removeSkill', () => {
  it('removes a skill folder, and removes links in it without following them', async () => {
    await install(source('gone', { 'sub/a.txt': 'a' }));
    symlinkSync(outside, join(agents, 'main', 'skills', 'gone', 'sub', 'escape'));
    expect(removeSkill({ agentsDirectory: agents, folder: 'main', name: 'gone' })).toEqual({
      status: 'removed',
      path: 'main/skills/gone',
    });
    expect(skillsFolder()).toEqual([]);
    expect(readFileSync(join(outside, 'keep.txt'), 'utf8')).toBe('KEEP');
  });

  it('says when there is no such skill, and refuses names that leave the skills folder', () => {
    expect(removeSkill({ agentsDirectory: agents, folder: 'main', name: 'nothing' })).toEqual({
      status: 'missing',
      path: 'main/skills/nothing',
    });
    for (const name of ['..', '../main', '.hidden', ''])
      expect(removeSkill({ agentsDirectory: agents, folder: 'main', name }).status, name).toBe('refused');
  });

  it('removes a skill that is a link (the link only), and refuses a skills folder that is a link', () => {
    mkdirSync(join(agents, 'main', 'skills'));
    symlinkSync(outside, join(agents, 'main', 'skills', 'evil'));
    expect(removeSkill({ agentsDirectory: agents, folder: 'main', name: 'evil' }).status).toBe('removed');
    expect(lstatSync(outside).isDirectory()).toBe(true);
    rmSync(join(agents, 'main', 'skills'), { recursive: true });
    symlinkSync(outside, join(agents, 'main', 'skills'));
    expect(removeSkill({ agentsDirectory: agents, folder: 'main', name: 'keep.txt' })).toEqual({
      status: 'refused',
      reason: 'main/skills is a symbolic link, not a folder',
    });
    expect(readdirSync(outside)).toEqual(['keep.txt']);
  });
});
