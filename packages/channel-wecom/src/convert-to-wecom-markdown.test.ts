import { describe, expect, it } from 'vitest';
import { convertToWeComMarkdown } from './convert-to-wecom-markdown';

const zws = '\u200b';

describe('convertToWeComMarkdown', () => {
  it.each([
    ['plain words', 'plain words'],
    ['**bold** and *italic* and ~~gone~~', '**bold** and italic and gone'],
    ['***both***', '**both**'],
    ['**bold with *nested* italic**', '**bold with nested italic**'],
    ['# Title\n\n### Small', '# Title\n\n### Small'],
    ['[the docs](https://example.com/x?a=1)', '[the docs](https://example.com/x?a=1)'],
    ['[not a link](https://example.com/a b)', `[not a link]${zws}(https://example.com/a b)`],
    ['<https://example.com>', 'https://example.com'],
    ['[bad](javascript:alert(1))', 'bad'],
    ['use `a*b*c` here', 'use `a*b*c` here'],
    ['> quoted\n> twice', '> quoted\ntwice'.replace('\n', '\n> ')],
    ['- one\n- two\n  - deeper', '• one\n• two\n    • deeper'],
    ['1. first\n2. second', '1. first\n2. second'],
    ['```js\nconst a = **b**;\n\nlet c;\n```', '`const a = **b**;`\n\n`let c;`'],
    ['| a | b |\n|---|---|\n| 1 | 2 |', '**a | b**\n1 | 2'],
    ['中文 **加粗** 文字', '中文 **加粗** 文字'],
  ])('%j → %j', (markdown, expected) => {
    expect(convertToWeComMarkdown(markdown)).toBe(expected);
  });

  it('keeps literal markup characters from becoming markup (WeCom has no escape character)', () => {
    expect(convertToWeComMarkdown('2 \\*\\* 3 is not bold')).toBe(`2 *${zws}* 3 is not bold`);
    expect(convertToWeComMarkdown('\\# not a heading')).toBe(`${zws}# not a heading`);
    expect(convertToWeComMarkdown('a \\[label\\](http://x) b')).toBe(`a [label]${zws}(http://x) b`);
    expect(convertToWeComMarkdown('x <font color="warning">red</font>')).toBe(`x <${zws}font color="warning">red<${zws}/font>`);
    expect(convertToWeComMarkdown('snake__case__name')).toBe(`snake_${zws}_case_${zws}_name`);
  });

  it('a code span holding a backtick is shown without code markers rather than broken', () => {
    expect(convertToWeComMarkdown('``a ` b``')).toBe('a ` b');
  });

  it('drops empty emphasis and joins blocks with a blank line', () => {
    expect(convertToWeComMarkdown('first\n\n****\n\nsecond')).toBe('first\n\n───\n\nsecond');
  });
});
