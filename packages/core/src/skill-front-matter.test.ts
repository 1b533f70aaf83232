import { describe, expect, it } from 'vitest';
import { parseSkillFrontMatter, skillNameProblem } from './skill-front-matter';

const file = (yaml: string, body = '\n# Steps\n1. do it\n') => `---\n${yaml}\n---\n${body}`;

describe('parseSkillFrontMatter', () => {
  it('reads name and description, ignoring other keys and the body', async () => {
    expect(
      await parseSkillFrontMatter(
        file('name: pdf-forms\ndescription: Fill in PDF forms.\nlicense: MIT\nallowed-tools: [bash]'),
        'pdf-forms',
      ),
    ).toEqual({ status: 'valid', skill: { name: 'pdf-forms', description: 'Fill in PDF forms.' } });
  });

  it('accepts CRLF line endings, a byte order mark, a `...` end line and a folded description', async () => {
    const text = '\uFEFF---\r\nname: a1\r\ndescription: >\r\n  Two\r\n  lines\r\n...\r\nbody';
    expect(await parseSkillFrontMatter(text, 'a1')).toEqual({ status: 'valid', skill: { name: 'a1', description: 'Two lines' } });
  });

  const long = (length: number) => 'd'.repeat(length);
  it.each([
    ['no front matter', '# Just a title\n', 'it has no front matter'],
    ['front matter not at the start', `\n${file('name: x\ndescription: y')}`, 'it has no front matter'],
    ['unterminated front matter', '---\nname: x\ndescription: y\n', 'its front matter is not terminated'],
    ['a list, not a mapping', file('- name\n- description'), 'its front matter is not a mapping'],
    ['a plain string', file('just words'), 'its front matter is not a mapping'],
    ['empty front matter', file(''), 'its front matter is not a mapping'],
    ['broken YAML', file('name: [x\ndescription: y'), 'its front matter is not valid YAML'],
    ['a duplicate key', file('name: x\nname: x\ndescription: y'), 'Map keys must be unique'],
    ['a custom tag', file('name: x\ndescription: !shell y'), 'Unresolved tag: !shell'],
    ['a YAML 1.1 tag', file('name: x\ndescription: !!binary eQ=='), 'Unresolved tag'],
    [
      'an alias bomb',
      file(`a: &a [x, x]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]\nname: x\ndescription: y`),
      'cannot be read',
    ],
    ['no name', file('description: y'), 'has no `name`'],
    ['a number as name', file('name: 12\ndescription: y'), '`name` is not a string'],
    ['an uppercase name', file('name: Pdf\ndescription: y'), 'only lowercase letters, digits and hyphens'],
    ['an underscore', file('name: pdf_forms\ndescription: y'), 'only lowercase letters, digits and hyphens'],
    ['a leading hyphen', file('name: -pdf\ndescription: y'), 'start or end with a hyphen'],
    ['a trailing hyphen', file('name: pdf-\ndescription: y'), 'start or end with a hyphen'],
    ['a double hyphen', file('name: pdf--forms\ndescription: y'), 'two hyphens in a row'],
    ['a 65-character name', file(`name: ${'a'.repeat(65)}\ndescription: y`), 'longer than 64 characters'],
    ['a name other than the folder', file('name: other\ndescription: y'), 'differs from its folder\'s name "x"'],
    ['no description', file('name: x'), 'has no `description`'],
    ['an empty description', file('name: x\ndescription: "  "'), '`description` is empty'],
    ['a terminal escape in the description', file('name: x\ndescription: "red \\e[31m text"'), 'holds control characters'],
    ['a direction override in the description', file('name: x\ndescription: "abc \u202e cba"'), 'holds control characters'],
    ['a list as description', file('name: x\ndescription: [a, b]'), '`description` is not a string'],
    ['a 1025-character description', file(`name: x\ndescription: ${long(1025)}`), 'is 1025 characters long; at most 1024'],
  ])('refuses %s', async (_case, text, reason) => {
    const result = await parseSkillFrontMatter(text, text.includes(`name: ${'a'.repeat(65)}`) ? 'a'.repeat(65) : 'x');
    expect(result.status).toBe('invalid');
    expect(result.status === 'invalid' && result.reason).toContain(reason);
  });

  it('accepts the limits: a 64-character name and a 1024-character description', async () => {
    const name = `${'a'.repeat(32)}-${'b'.repeat(31)}`;
    expect(name).toHaveLength(64);
    expect(await parseSkillFrontMatter(file(`name: ${name}\ndescription: ${long(1024)}`), name)).toMatchObject({
      status: 'valid',
    });
  });

  it('counts characters, not bytes, in a description', async () => {
    expect(await parseSkillFrontMatter(file(`name: x\ndescription: ${'é'.repeat(1024)}`), 'x')).toMatchObject({
      status: 'valid',
    });
  });
});

describe('skillNameProblem', () => {
  it.each(['a', 'pdf', 'pdf-forms', 'v2-api-3'])('accepts %s', (name) => expect(skillNameProblem(name)).toBeUndefined());
  it.each(['', 'A', 'a b', 'a.b', 'a/b', '..', '-a', 'a-', 'a--b', 'ä'])('refuses %j', (name) =>
    expect(skillNameProblem(name)).toBeDefined(),
  );
});
