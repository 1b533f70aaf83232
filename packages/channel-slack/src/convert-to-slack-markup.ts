import { lexer, type Token, type Tokens } from 'marked';

/** Escapes the three characters Slack reads as markup in any text (`&`, `<`, `>`). */
export function escapeSlackText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Undoes {@link escapeSlackText} (Slack sends message text escaped). */
export function unescapeSlackText(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

const safeUrl = (href: string): string | undefined => {
  const trimmed = href.trim();
  if (!/^(https?:|mailto:)/i.test(trimmed)) return undefined;
  // `|` ends the URL part of `<url|label>` and `>` the whole link.
  return trimmed.replaceAll('|', '%7C').replaceAll('>', '%3E').replaceAll('<', '%3C').replaceAll(' ', '%20');
};

/** Wraps `inner` in an mrkdwn marker, keeping outer spaces outside it (Slack ignores `* bold *`). */
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
      return text.tokens ? inline(text.tokens) : escapeSlackText(text.text);
    }
    case 'escape':
      return escapeSlackText((token as Tokens.Escape).text);
    case 'strong':
      return wrap('*', inline((token as Tokens.Strong).tokens));
    case 'em':
      return wrap('_', inline((token as Tokens.Em).tokens));
    case 'del':
      return wrap('~', inline((token as Tokens.Del).tokens));
    case 'codespan':
      return `\`${escapeSlackText((token as Tokens.Codespan).text)}\``;
    case 'br':
      return '\n';
    case 'link': {
      const link = token as Tokens.Link;
      const label = inline(link.tokens);
      const url = safeUrl(link.href);
      if (url === undefined) return label;
      return label === '' || label === escapeSlackText(link.href) ? `<${url}>` : `<${url}|${label}>`;
    }
    case 'image': {
      const image = token as Tokens.Image;
      const url = safeUrl(image.href);
      return url === undefined ? escapeSlackText(image.text) : `<${url}|${escapeSlackText(image.text || url)}>`;
    }
    default:
      return escapeSlackText(token.raw);
  }
}

function list(token: Tokens.List, depth: number): string {
  const start = typeof token.start === 'number' ? token.start : 1;
  return token.items
    .map((item, index) => {
      const bullet = token.ordered ? `${start + index}.` : '•';
      const task = item.task ? (item.checked ? '☑ ' : '☐ ') : '';
      const parts = item.tokens
        .filter((child) => child.type !== 'checkbox')
        .map((child) => (child.type === 'list' ? list(child as Tokens.List, depth + 1) : block(child, depth + 1)));
      const [first = '', ...rest] = parts.filter((part) => part !== '');
      // A quote opens only at the start of a line; after the bullet its `>` is text, escaped.
      const opening = first.startsWith('>') ? `&gt;${first.slice(1)}` : first;
      return [`${'    '.repeat(depth)}${bullet} ${task}${opening}`, ...rest].join('\n');
    })
    .join('\n');
}

function block(token: Token, depth = 0): string {
  switch (token.type) {
    case 'space':
      return '';
    case 'paragraph':
      return inline((token as Tokens.Paragraph).tokens);
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? inline(text.tokens) : escapeSlackText(text.text);
    }
    case 'heading':
      return wrap('*', inline((token as Tokens.Heading).tokens));
    case 'code': {
      const code = (token as Tokens.Code).text;
      return `\`\`\`\n${escapeSlackText(code)}\n\`\`\``;
    }
    case 'blockquote':
      return (
        (token as Tokens.Blockquote).tokens
          .map((child) => block(child, depth))
          .filter((part) => part !== '')
          .join('\n')
          .split('\n')
          // mrkdwn has no nested quotes: a second `>` would be raw markup inside the quote.
          .map((line) => (line.startsWith('>') ? line : `> ${line}`))
          .join('\n')
      );
    case 'list':
      return list(token as Tokens.List, depth);
    case 'hr':
      return '───';
    case 'table': {
      const table = token as Tokens.Table;
      const row = (cells: Tokens.TableCell[]) => cells.map((cell) => inline(cell.tokens)).join(' | ');
      return [wrap('*', row(table.header)), ...table.rows.map(row)].join('\n');
    }
    default:
      return escapeSlackText(token.raw.trimEnd());
  }
}

/**
 * Converts CommonMark as models write it to Slack's mrkdwn: `**bold**` → `*bold*`, `_italic_`,
 * `~~strike~~` → `~strike~`, `[label](url)` → `<url|label>` (http, https and mailto only; other
 * schemes keep the label), headings bold, lists with bullets, code as code; `&`, `<` and `>` are
 * escaped everywhere (inside code too), so no text becomes a mention or a link by accident.
 */
export function convertToSlackMarkup(markdown: string): string {
  return lexer(markdown)
    .map((token) => block(token))
    .filter((part) => part !== '')
    .join('\n\n');
}
