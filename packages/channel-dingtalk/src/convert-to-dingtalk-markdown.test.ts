import { describe, expect, it } from 'vitest';
import { convertToDingTalkMarkdown, dingTalkTitle } from './convert-to-dingtalk-markdown';

describe('convertToDingTalkMarkdown', () => {
  it.each([
    ['plain words', 'plain words'],
    ['**bold** and *italic* and _also italic_', '**bold** and *italic* and *also italic*'],
    ['***both***', '***both***'],
    ['~~gone~~ stays', 'gone stays'],
    ['# Title\n\nbody', '# Title\n\nbody'],
    ['#### deep', '#### deep'],
    ['[docs](https://example.com/a?q=1)', '[docs](https://example.com/a?q=1)'],
    ['[a [b] c](https://example.com/(x))', '[a (b) c](https://example.com/%28x%29)'],
    ['[x](javascript:alert(1))', 'x'],
    ['<https://example.com>', '[https://example.com](https://example.com)'],
    ['- one\n- two', '- one\n- two'],
    ['3. three\n4. four', '3. three\n4. four'],
    ['- outer\n  - inner', '- outer\n  - inner'],
    ['- [x] done\n- [ ] todo', '- ☑ done\n- ☐ todo'],
    ['> quoted\n> more', '> quoted\n> more'],
    ['> **a**\n>\n> b', '> **a**\n>\n> b'],
    ['a  \nb', 'a\nb'],
    ['---', '---'],
    ['`a*b*c`', '`a*b*c`'],
    ['```js\nconst x = **y**; // [not](a link)\n```', '```js\nconst x = **y**; // [not](a link)\n```'],
    ['| k | v |\n|---|---|\n| a | b |', '**k | v**\n\na | b'],
    ['2 * 3 * 4', '2 * 3 * 4'],
    ['snake_case_name', 'snake_case_name'],
  ])('%j', (markdown, expected) => {
    expect(convertToDingTalkMarkdown(markdown)).toBe(expected);
  });
});

describe('dingTalkTitle', () => {
  it('is the first line without markup, cut at 30 characters', () => {
    expect(dingTalkTitle('\n## **Deploy** [done](https://x.y)\nmore')).toBe('Deploy done');
    expect(dingTalkTitle('x'.repeat(40))).toBe(`${'x'.repeat(29)}…`);
    expect(dingTalkTitle('   ')).toBe('Message');
  });
});
