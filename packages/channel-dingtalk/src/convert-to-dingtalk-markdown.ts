import { lexer, type Token, type Tokens } from 'marked';

// DingTalk's markdown (robot `markdown` / `sampleMarkdown` messages) renders headings, bold, italic,
// links, images, ordered and unordered lists, quotes and horizontal rules. It has no escaping, no
// strikethrough, no tables and no code formatting: code is kept as typed (fences included) so it
// reads the same, tables become one line per row.

const safeUrl = (href: string): string | undefined => {
  const trimmed = href.trim();
  if (!/^(https?:|mailto:|dingtalk:)/i.test(trimmed)) return undefined;
  return trimmed.replaceAll(' ', '%20').replaceAll('(', '%28').replaceAll(')', '%29');
};

/** Wraps `inner` in a marker, keeping outer spaces outside it (`** bold **` is not bold). */
function wrap(marker: string, inner: string): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner);
  const [, before = '', core = '', after = ''] = match ?? [];
  return core === '' ? inner : `${before}${marker}${core}${marker}${after}`;
}

function inline(tokens: readonly Token[] | undefined): string {
  return (tokens ?? []).map(inlineToken).join('');
}

function inlineToken(token: Token): string {
  switch (token.type) {
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? inline(text.tokens) : text.text;
    }
    case 'escape':
      return (token as Tokens.Escape).text;
    case 'strong':
      return wrap('**', inline((token as Tokens.Strong).tokens));
    case 'em':
      return wrap('*', inline((token as Tokens.Em).tokens));
    case 'del':
      return inline((token as Tokens.Del).tokens);
    case 'codespan':
      return `\`${(token as Tokens.Codespan).text}\``;
    case 'br':
      return '\n';
    case 'link': {
      const link = token as Tokens.Link;
      const label = inline(link.tokens);
      const url = safeUrl(link.href);
      if (url === undefined) return label;
      return `[${label === '' ? url : label.replaceAll('[', '(').replaceAll(']', ')')}](${url})`;
    }
    case 'image': {
      const image = token as Tokens.Image;
      const url = safeUrl(image.href);
      return url === undefined ? image.text : `![${image.text.replaceAll(']', ')')}](${url})`;
    }
    default:
      return 'raw' in token ? String(token.raw) : '';
  }
}

function list(token: Tokens.List, depth: number): string {
  const start = typeof token.start === 'number' ? token.start : 1;
  const indent = '  '.repeat(depth);
  return token.items
    .map((item, index) => {
      const marker = token.ordered ? `${start + index}. ` : '- ';
      // marked gives a task item's box as a token of its own; the marker below shows it.
      const parts = item.tokens
        .filter((child) => child.type !== 'checkbox')
        .map((child) => (child.type === 'list' ? `\n${list(child as Tokens.List, depth + 1)}` : block(child, depth + 1)));
      const body = parts.join('').replace(/\n(?!\s*(- |\d+\. ))/g, `\n${indent}  `);
      return `${indent}${marker}${item.task ? (item.checked ? '☑ ' : '☐ ') : ''}${body}`;
    })
    .join('\n');
}

function block(token: Token, depth = 0): string {
  switch (token.type) {
    case 'heading': {
      const heading = token as Tokens.Heading;
      return `${'#'.repeat(Math.min(heading.depth, 6))} ${inline(heading.tokens)}`;
    }
    case 'paragraph':
      return inline((token as Tokens.Paragraph).tokens);
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? inline(text.tokens) : text.text;
    }
    case 'list':
      return list(token as Tokens.List, depth);
    case 'blockquote': {
      const inner = blocks((token as Tokens.Blockquote).tokens);
      return inner
        .split('\n')
        .map((line) => (line === '' ? '>' : `> ${line}`))
        .join('\n');
    }
    case 'code': {
      const code = token as Tokens.Code;
      return `\`\`\`${code.lang ?? ''}\n${code.text}\n\`\`\``;
    }
    case 'hr':
      return '---';
    case 'table': {
      const table = token as Tokens.Table;
      const row = (cells: Tokens.TableCell[]) => cells.map((cell) => inline(cell.tokens)).join(' | ');
      return [wrap('**', row(table.header)), ...table.rows.map(row)].join('\n\n');
    }
    case 'space':
      return '';
    default:
      return 'raw' in token ? String(token.raw).trimEnd() : '';
  }
}

function blocks(tokens: readonly Token[]): string {
  return tokens
    .map((token) => block(token))
    .filter((text) => text !== '')
    .join('\n\n');
}

/**
 * Converts the agents' markdown to DingTalk's markdown subset. Pure.
 * @param markdown CommonMark/GFM text
 * @returns text DingTalk's markdown message renders as intended
 */
export function convertToDingTalkMarkdown(markdown: string): string {
  return blocks(lexer(markdown));
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
