import { lexer } from 'marked';
import { describe, expect, it } from 'vitest';
import { type MarkdownRules, renderMarkdown, wrapMarkup } from './render-markdown';

// A toy markup that names every token it meets, so each test sees exactly what the walk decided.
const rules: MarkdownRules = {
  text: (text) => text.replaceAll('*', '\\*'),
  strong: (inner) => wrapMarkup('*', inner),
  em: (inner) => wrapMarkup('_', inner),
  del: (inner) => `(del ${inner})`,
  codespan: (code) => `{${code}}`,
  link: (label, href) => `[${label}→${href}]`,
  image: (alt, href) => `<img ${alt} ${href}>`,
  heading: (inner, depth) => `H${depth} ${inner}`,
  code: (code, lang) => `<code ${lang ?? 'none'}>${code}</code>`,
  quoteLine: (line) => `| ${line}`,
  list: { bullet: '*', indent: '  ' },
  hr: '----',
  table: (header, rows) => [header, ...rows].map((row) => row.map((cell) => `${cell.text}=${cell.shown}`).join(' ; ')).join('\n'),
};
const render = (markdown: string, override: Partial<MarkdownRules> = {}) =>
  renderMarkdown(lexer(markdown), { ...rules, ...override });

describe('renderMarkdown', () => {
  it('renders inline tokens nested, with literal text through the text rule', () => {
    expect(render('a **b _c_** ~~d~~ `e*` [f](http://x) ![g](http://y)')).toBe(
      'a *b _c_* (del d) {e*} [f→http://x] <img g http://y>',
    );
  });

  it('hands neighbouring literal tokens to the text rule together, so an escaped marker pair is seen whole', () => {
    const seen: string[] = [];
    render('x \\*\\* y', {
      text(text) {
        seen.push(text);
        return text;
      },
    });
    expect(seen).toEqual(['x ** y']);
  });

  it('renders blocks apart, drops empty ones, and joins with the separator asked for', () => {
    expect(render('# Title\n\npara one\n\n---\n\n```ts\ncode\n```\n\n```\nbare\n```')).toBe(
      'H1 Title\n\npara one\n\n----\n\n<code ts>code</code>\n\n<code none>bare</code>',
    );
    expect(render('one\n\ntwo', { blockSeparator: '\n' })).toBe('one\ntwo');
    expect(render('\n\n\n')).toBe('');
  });

  it('numbers ordered lists from their start, shows task boxes, and indents nested lists', () => {
    expect(render('3. three\n4. four')).toBe('3. three\n4. four');
    expect(render('- [x] done\n- [ ] open')).toBe('* ☑ done\n* ☐ open');
    expect(render('- outer\n  - inner\n    - deepest')).toBe('* outer\n  * inner\n    * deepest');
    expect(render('- > quoted', { itemOpening: (first) => `<${first}>` })).toBe('* <| quoted>');
  });

  it('passes each line of a quote through the quote rule, nested quotes included', () => {
    expect(render('> one\n> two\n>\n> > inner')).toBe('| one\n| two\n| | inner');
  });

  it('gives tables their cells as written and as shown', () => {
    expect(render('| a | **b** |\n|---|---|\n| 1 | `2` |')).toBe('a=a ; **b**=*b*\n1=1 ; `2`={2}');
  });

  it('runs paragraphs and unknown blocks through the paragraph rule', () => {
    expect(render('plain\n\n<div>html</div>', { paragraph: (shown) => `P(${shown})` })).toBe('P(plain)\n\nP(<div>html</div>)');
  });

  it('lets the rules render a list or a quote their own way, with the walk for their children', () => {
    const listed = render('- a\n- b', {
      renderList: (token, depth, walk) =>
        (token.items ?? [])
          .map((item) => `${depth}:${item.tokens.map((child) => walk.block(child, depth + 1)).join('')}`)
          .join(','),
    });
    expect(listed).toBe('0:a,0:b');
    expect(render('> x **y**', { renderQuote: (token, _depth, walk) => `Q[${walk.inline(token.tokens?.[0]?.tokens)}]` })).toBe(
      'Q[x *y*]',
    );
  });
});

describe('wrapMarkup', () => {
  it('keeps outer spaces outside the marker and leaves empty text alone', () => {
    expect(wrapMarkup('*', ' bold ')).toBe(' *bold* ');
    expect(wrapMarkup('*', '  ')).toBe('  ');
    expect(wrapMarkup('~', 'a\nb')).toBe('~a\nb~');
  });
});
