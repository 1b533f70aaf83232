import { describe, expect, it } from 'vitest';
import { convertToSlackMarkup, escapeSlackText, unescapeSlackText } from './convert-to-slack-markup';

describe('convertToSlackMarkup', () => {
  it.each([
    ['**bold**', '*bold*'],
    ['*italic* and _italic_', '_italic_ and _italic_'],
    ['~~gone~~', '~gone~'],
    ['**bold _and italic_**', '*bold _and italic_*'],
    ['`code`', '`code`'],
    ['[the docs](https://example.com/a?b=1&c=2)', '<https://example.com/a?b=1&c=2|the docs>'],
    ['<https://example.com>', '<https://example.com>'],
    ['# Title', '*Title*'],
    ['a\n\nb', 'a\n\nb'],
    ['> quoted\n> twice', '> quoted\n> twice'],
    ['---', '───'],
  ])('%j → %j', (markdown, mrkdwn) => {
    expect(convertToSlackMarkup(markdown)).toBe(mrkdwn);
  });

  it('escapes &, < and > in text, so nothing becomes a mention, a channel ping or a link', () => {
    expect(convertToSlackMarkup('a & b < c > d <!channel> <@U123>')).toBe(
      'a &amp; b &lt; c &gt; d &lt;!channel&gt; &lt;@U123&gt;',
    );
  });

  it('keeps markup characters inside code literal and escaped', () => {
    expect(convertToSlackMarkup('`a<b> & *c*`')).toBe('`a&lt;b&gt; &amp; *c*`');
    expect(convertToSlackMarkup('```js\nif (a < b && *p) { _x_ }\n```')).toBe('```\nif (a &lt; b &amp;&amp; *p) { _x_ }\n```');
  });

  it('leaves markers that are not emphasis in CommonMark as they were typed', () => {
    expect(convertToSlackMarkup('2 * 3 * 4 and snake_case_name')).toBe('2 * 3 * 4 and snake_case_name');
  });

  it('makes links safe: | and > in the URL are encoded, labels escaped, other schemes keep only the label', () => {
    expect(convertToSlackMarkup('[a > b](https://x.test/p|q)')).toBe('<https://x.test/p%7Cq|a &gt; b>');
    expect(convertToSlackMarkup('[click](javascript:alert(1))')).toBe('click');
    expect(convertToSlackMarkup('![a cat](https://x.test/cat.png)')).toBe('<https://x.test/cat.png|a cat>');
  });

  it('writes lists with bullets and numbers, nested ones indented', () => {
    expect(convertToSlackMarkup('- one\n  - two\n- three')).toBe('• one\n    • two\n• three');
    expect(convertToSlackMarkup('3. c\n4. d')).toBe('3. c\n4. d');
    expect(convertToSlackMarkup('- [x] done\n- [ ] todo')).toBe('• ☑ done\n• ☐ todo');
  });

  it('shows tables as rows, the header bold', () => {
    expect(convertToSlackMarkup('| a | b |\n|---|---|\n| 1 | 2 |')).toBe('*a | b*\n1 | 2');
  });

  it('escapes raw HTML instead of dropping it', () => {
    expect(convertToSlackMarkup('<b>hi</b>')).toBe('&lt;b&gt;hi&lt;/b&gt;');
  });

  it('escapes and unescapes Slack text both ways', () => {
    const text = 'a & <b> &amp;';
    expect(escapeSlackText(text)).toBe('a &amp; &lt;b&gt; &amp;amp;');
    expect(unescapeSlackText(escapeSlackText(text))).toBe(text);
  });
});
