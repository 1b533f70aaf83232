import { describe, expect, it } from 'vitest';
import { convertToQQText } from './convert-to-qq-text';

describe('convertToQQText: markdown → the plain text QQ shows', () => {
  it.each([
    ['emphasis removed', '**bold**, *it*, _it_, ~~gone~~ and ***both***', 'bold, it, it, gone and both'],
    ['nested emphasis', '**bold with _inner_ part**', 'bold with inner part'],
    ['snake_case and 2*3*4 stay', 'use snake_case_name and 2*3*4', 'use snake_case_name and 2*3*4'],
    ['a lone asterisk stays', 'a * b', 'a * b'],
    ['links as text (url)', 'see [the docs](https://example.com/a_b) now', 'see the docs (https://example.com/a_b) now'],
    ['a link whose text is its url', '[https://x.io](https://x.io)', 'https://x.io'],
    ['autolinks', '<https://x.io/path>', 'https://x.io/path'],
    ['images', '![a chart](https://x.io/c.png)', 'a chart (https://x.io/c.png)'],
    ['headings', '# Title\n\n### Sub **part**', 'Title\n\nSub part'],
    [
      'lists and tasks',
      '- one\n* two\n  + nested\n- [x] done\n- [ ] todo\n1. first',
      '• one\n• two\n  • nested\n• ☑ done\n• ☐ todo\n1. first',
    ],
    ['code spans keep their markup characters', 'run `a **b** [c](d)` now', 'run a **b** [c](d) now'],
    ['backslash escapes', '\\*not emphasis\\* and 1\\. item', '*not emphasis* and 1. item'],
    ['quotes stay quoted', '> quoted *words*', '> quoted words'],
    ['rules', 'a\n\n---\n\nb', 'a\n\n──────────\n\nb'],
    ['tables', '| k | v |\n|---|:-:|\n| **a** | `b|c` |', 'k | v\na | b|c'],
    ['extra blank lines collapse', 'a\n\n\n\nb', 'a\n\nb'],
  ])('%s', (_name, markdown, expected) => {
    expect(convertToQQText(markdown)).toBe(expected);
  });

  it('code blocks keep their lines verbatim, without fences', () => {
    const markdown = 'Try:\n\n```ts\nconst a = **b** * c; // [x](y)\n  indented_name\n```\n\nDone.';
    expect(convertToQQText(markdown)).toBe('Try:\n\nconst a = **b** * c; // [x](y)\n  indented_name\n\nDone.');
  });

  it('a fence of tildes, and a longer closing fence needed for an inner fence', () => {
    expect(convertToQQText('~~~\n# not a heading\n~~~')).toBe('# not a heading');
    expect(convertToQQText('````\n```\ninner\n```\n````')).toBe('```\ninner\n```');
  });

  it('an unclosed fence keeps the rest as code', () => {
    expect(convertToQQText('```\n- not a bullet\n**kept**')).toBe('- not a bullet\n**kept**');
  });
});
