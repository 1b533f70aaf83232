import { lexer, type Token, type Tokens } from 'marked';
import { escapeDiscordText } from './escape-discord-text';

// Discord's markdown is close to CommonMark; what differs: `__x__` underlines (so strong is always
// `**`), headings stop at level 3, there are no tables, images or horizontal rules, and raw HTML is
// plain text. Text between the markup is escaped so it stays text.

const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const decode = (text: string) => text.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => entities[entity] ?? entity);

function escapeInlineText(text: string, atLineStart: boolean): string {
  const escaped = escapeDiscordText(decode(text));
  // escapeDiscordText treats its input as starting a line; mid-line text needs no block escapes.
  return atLineStart ? escaped : escaped.replace(/^(\s*)\\([#>+-])/, '$1$2').replace(/^(\s*\d+)\\([.)])/, '$1$2');
}

function codeSpan(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = '`'.repeat(longest + 1);
  return longest === 0 ? `${fence}${text}${fence}` : `${fence} ${text} ${fence}`;
}

function safeUrl(href: string): string | undefined {
  return /^https?:\/\//i.test(href) ? href.replace(/\)/g, '%29').replace(/ /g, '%20') : undefined;
}

function inline(tokens: Token[] | undefined, lineStart = true): string {
  let out = '';
  for (const token of tokens ?? []) {
    const atLineStart = lineStart && (out === '' || out.endsWith('\n'));
    out += inlineToken(token, atLineStart);
  }
  return out;
}

function inlineToken(token: Token, atLineStart: boolean): string {
  switch (token.type) {
    case 'strong':
      return `**${inline((token as Tokens.Strong).tokens, false)}**`;
    case 'em':
      return `*${inline((token as Tokens.Em).tokens, false)}*`;
    case 'del':
      return `~~${inline((token as Tokens.Del).tokens, false)}~~`;
    case 'codespan':
      return codeSpan(decode((token as Tokens.Codespan).text));
    case 'br':
      return '\n';
    case 'link': {
      const link = token as Tokens.Link;
      const label = inline(link.tokens, false);
      const href = safeUrl(link.href);
      if (href === undefined) return `${label} (${escapeInlineText(link.href, false)})`;
      return link.text === link.href ? href : `[${label}](${href})`;
    }
    case 'image': {
      const image = token as Tokens.Image;
      const href = safeUrl(image.href);
      const label = escapeInlineText(image.text || 'image', false);
      return href === undefined ? label : `[${label}](${href})`;
    }
    case 'escape':
      return escapeInlineText((token as Tokens.Escape).text, atLineStart);
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? inline(text.tokens, atLineStart) : escapeInlineText(text.text, atLineStart);
    }
    default:
      return escapeInlineText('raw' in token ? String(token.raw) : '', atLineStart);
  }
}

/** Text of inline tokens without markup, for table cells (shown inside a code block). */
function plainInline(tokens: Token[] | undefined): string {
  return (tokens ?? [])
    .map((token) => {
      if ('tokens' in token && Array.isArray(token.tokens)) return plainInline(token.tokens as Token[]);
      return decode('text' in token && typeof token.text === 'string' ? token.text : String(token.raw ?? ''));
    })
    .join('');
}

function codeBlock(text: string, language = ''): string {
  // A code block cannot escape its own fence; a zero-width space keeps three backticks from closing it.
  return `\`\`\`${language}\n${text.replaceAll('```', '`\u200b``')}\n\`\`\``;
}

function table(token: Tokens.Table): string {
  const rows = [
    token.header.map((cell) => plainInline(cell.tokens)),
    ...token.rows.map((row) => row.map((cell) => plainInline(cell.tokens))),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join(' | ')
      .trimEnd();
  const [header, ...body] = rows;
  return codeBlock([line(header ?? []), widths.map((width) => '-'.repeat(width)).join('-|-'), ...body.map(line)].join('\n'));
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((line, index) => (index === 0 || line === '' ? line : by + line))
    .join('\n');
}

function list(token: Tokens.List): string {
  const start = typeof token.start === 'number' ? token.start : 1;
  return token.items
    .map((item, index) => {
      const marker = token.ordered ? `${start + index}. ` : '- ';
      const box = item.task ? (item.checked ? '☑ ' : '☐ ') : '';
      const body = blocks(
        item.tokens.filter((child) => child.type !== 'checkbox'),
        '\n',
      );
      return marker + box + indent(body, ' '.repeat(marker.length));
    })
    .join('\n');
}

function block(token: Token): string {
  switch (token.type) {
    case 'paragraph':
      return inline((token as Tokens.Paragraph).tokens);
    case 'heading': {
      const heading = token as Tokens.Heading;
      const text = inline(heading.tokens, false);
      return heading.depth <= 3 ? `${'#'.repeat(heading.depth)} ${text}` : `**${text}**`;
    }
    case 'code': {
      const code = token as Tokens.Code;
      return codeBlock(code.text, (code.lang ?? '').split(/\s/)[0] ?? '');
    }
    case 'blockquote':
      return blocks((token as Tokens.Blockquote).tokens)
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n');
    case 'list':
      return list(token as Tokens.List);
    case 'table':
      return table(token as Tokens.Table);
    case 'hr':
      return '──────────';
    case 'space':
    case 'def':
      return '';
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? inline(text.tokens) : escapeInlineText(text.text, true);
    }
    default:
      return escapeDiscordText('raw' in token ? String(token.raw).trimEnd() : '');
  }
}

function blocks(tokens: Token[], separator = '\n\n'): string {
  return tokens
    .map(block)
    .filter((text) => text !== '')
    .join(separator);
}

/**
 * Converts CommonMark (as models write it) to Discord's markdown.
 * @param markdown the text to convert
 * @returns Discord message content; text outside the markup is escaped
 */
export function convertToDiscordMarkdown(markdown: string): string {
  return blocks(lexer(markdown, { gfm: true }));
}
