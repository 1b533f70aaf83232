import { type MarkdownRules, type RenderedCell, renderMarkdown, wrapMarkup } from '@ngb/plugin-sdk';
import { lexer } from 'marked';

// DingTalk's markdown (robot `markdown` / `sampleMarkdown` messages) renders headings, bold, italic,
// links, images, ordered and unordered lists, quotes and horizontal rules. It has no escaping, no
// strikethrough, no tables and no code formatting: code is kept as typed (fences included) so it
// reads the same, tables become one line per row.

const safeUrl = (href: string): string | undefined => {
  const trimmed = href.trim();
  if (!/^(https?:|mailto:|dingtalk:)/i.test(trimmed)) return undefined;
  return trimmed.replaceAll(' ', '%20').replaceAll('(', '%28').replaceAll(')', '%29');
};

/** Text shows as written: DingTalk's markdown has no escape character. */
const asWritten = (text: string) => text;

// DingTalk's answer to each token, for the shared walk.
const dingTalkRules: MarkdownRules = {
  text: asWritten,
  strong: (inner) => wrapMarkup('**', inner),
  em: (inner) => wrapMarkup('*', inner),
  del: asWritten,
  codespan: (code) => `\`${code}\``,
  link(label, href) {
    const url = safeUrl(href);
    if (url === undefined) return label;
    return `[${label === '' ? url : label.replaceAll('[', '(').replaceAll(']', ')')}](${url})`;
  },
  image(alt, href) {
    const url = safeUrl(href);
    return url === undefined ? alt : `![${alt.replaceAll(']', ')')}](${url})`;
  },
  heading: (inner, depth) => `${'#'.repeat(Math.min(depth, 6))} ${inner}`,
  code: (code, lang) => `\`\`\`${lang ?? ''}\n${code}\n\`\`\``,
  quoteLine: (line) => (line === '' ? '>' : `> ${line}`),
  list: { bullet: '-', indent: '  ' },
  hr: '---',
  table(header, rows) {
    const row = (cells: readonly RenderedCell[]) => cells.map((cell) => cell.shown).join(' | ');
    return [wrapMarkup('**', row(header)), ...rows.map(row)].join('\n\n');
  },
  // An item's later lines are indented under its text, so the list does not end at them.
  renderList(token, depth, walk) {
    const start = typeof token.start === 'number' ? token.start : 1;
    const indent = '  '.repeat(depth);
    return (token.items ?? [])
      .map((item, index) => {
        const marker = token.ordered ? `${start + index}. ` : '- ';
        const parts = item.tokens
          .filter((child) => child.type !== 'checkbox')
          .map((child) => (child.type === 'list' ? `\n${walk.block(child, depth + 1)}` : walk.block(child, depth + 1)));
        const body = parts.join('').replace(/\n(?!\s*(- |\d+\. ))/g, `\n${indent}  `);
        return `${indent}${marker}${item.task ? (item.checked ? '☑ ' : '☐ ') : ''}${body}`;
      })
      .join('\n');
  },
  // A quote's blocks keep their blank lines (as `>` lines), so its paragraphs stay apart.
  renderQuote(token, _depth, walk) {
    return (token.tokens ?? [])
      .map((child) => walk.block(child, 0))
      .filter((part) => part !== '')
      .join('\n\n')
      .split('\n')
      .map((line) => dingTalkRules.quoteLine(line))
      .join('\n');
  },
};

/**
 * Converts the agents' markdown to DingTalk's markdown subset. Pure.
 * @param markdown CommonMark/GFM text
 * @returns text DingTalk's markdown message renders as intended
 */
export function convertToDingTalkMarkdown(markdown: string): string {
  return renderMarkdown(lexer(markdown), dingTalkRules);
}

/**
 * The `title` of a markdown message (shown in notifications and the chat list): the first line of
 * text without markup, at most 30 characters.
 */
export function dingTalkTitle(markdown: string): string {
  const first = markdown.split('\n').find((line) => line.trim() !== '') ?? '';
  const plain = first
    .replace(/^\s*(#{1,6}\s+|>\s*|[-*+]\s+|\d+\.\s+)/, '')
    .replace(/[*_`~]/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim();
  const title = plain === '' ? 'Message' : plain;
  return title.length > 30 ? `${title.slice(0, 29)}…` : title;
}
