import { describe, expect, it } from 'vitest';
import { convertToDiscordMarkdown } from './convert-to-discord-markdown';
import { escapeDiscordText, unescapeDiscordText } from './escape-discord-text';

describe('convertToDiscordMarkdown', () => {
  it.each([
    [
      'emphasis: strong is always ** (Discord reads __ as underline)',
      'a **b** __c__ *d* _e_ ~~f~~',
      'a **b** **c** *d* *e* ~~f~~',
    ],
    ['nested emphasis', '**bold *and italic* inside**', '**bold *and italic* inside**'],
    [
      'characters that would be markup in text are escaped',
      'a_b_c and 2 * 3 * 4 and a|b and a~b',
      'a\\_b\\_c and 2 \\* 3 \\* 4 and a\\|b and a\\~b',
    ],
    ['a mention-like text stays text', 'ping <@123> or @everyone', 'ping \\<@123> or @everyone'],
    ['html is shown as text', 'x <b>y</b>', 'x \\<b>y\\</b>'],
    ['entities are decoded', 'a &amp; b &lt; c', 'a & b \\< c'],
    ['headings 1 to 3 kept, deeper ones bold', '# One\n\n### Three\n\n#### Four', '# One\n\n### Three\n\n**Four**'],
    ['inline code holds markup characters as they are', 'run `a*b_c` now', 'run `a*b_c` now'],
    ['inline code containing a backtick', 'use ``a`b`` here', 'use `` a`b `` here'],
    [
      'code blocks keep their content and language',
      '```js\nconst a = `x` ** 2; // *no*\n```',
      '```js\nconst a = `x` ** 2; // *no*\n```',
    ],
    ['a fence inside a code block cannot close it', '````\n```\n````', '```\n`\u200b``\n```'],
    [
      'links become masked links; bare URLs stay whole',
      '[site](https://example.com/a_b) and https://x.y/z_w',
      '[site](https://example.com/a_b) and https://x.y/z_w',
    ],
    ['a link that is not http(s) is shown with its target', '[run](javascript:alert(1))', 'run (javascript:alert(1))'],
    ['images become links', '![a chart](https://img.test/c.png)', '[a chart](https://img.test/c.png)'],
    [
      'lists, nested and numbered',
      '- one\n- two\n  - nested\n\n3. third\n4. fourth',
      '- one\n- two\n  - nested\n\n3. third\n4. fourth',
    ],
    ['task lists', '- [ ] todo\n- [x] done', '- ☐ todo\n- ☑ done'],
    ['block quotes', '> quoted *text*\n> more', '> quoted *text*\n> more'],
    ['tables become an aligned code block', '| a | bb |\n|---|---|\n| 1 | 2 |', '```\na | bb\n--|---\n1 | 2\n```'],
    ['a horizontal rule becomes a line', 'a\n\n---\n\nb', 'a\n\n──────────\n\nb'],
    ['an escaped character stays literal', 'a \\*b\\*', 'a \\*b\\*'],
    ['a paragraph looking like a list after an escape stays text', '\\- not a list', '\\- not a list'],
  ])('%s', (_, markdown, expected) => {
    expect(convertToDiscordMarkdown(markdown)).toBe(expected);
  });
});

describe('escapeDiscordText', () => {
  it.each([
    ['emphasis, code, spoilers, strike', '*a* _b_ `c` ||d|| ~~e~~', '\\*a\\* \\_b\\_ \\`c\\` \\|\\|d\\|\\| \\~\\~e\\~\\~'],
    ['block markup at line starts only', '# h\n> q\n- l\n1. n\nmid - # > 1. x', '\\# h\n\\> q\n\\- l\n1\\. n\nmid - # > 1. x'],
    ['subtext', '-# small', '\\-# small'],
    ['masked links and mentions', '[x](https://a.b) <@1> <#2>', '\\[x\\](https://a.b) \\<@1> \\<#2>'],
    ['URLs stay whole', 'see https://a.b/c_d*e and _f_', 'see https://a.b/c_d*e and \\_f\\_'],
    ['backslashes', 'C:\\path', 'C:\\\\path'],
  ])('%s', (_, text, expected) => {
    expect(escapeDiscordText(text)).toBe(expected);
    expect(unescapeDiscordText(expected)).toBe(text);
  });

  it('leaves text without markup characters unchanged', () => {
    expect(escapeDiscordText('plain words, 100% fine! (really)')).toBe('plain words, 100% fine! (really)');
  });
});
