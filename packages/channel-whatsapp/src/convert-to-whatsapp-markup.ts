import { lexer, type Token, type Tokens } from 'marked';

/** U+2060 WORD JOINER: invisible, and not a word boundary, so a marker next to it does not open or close a style. */
const joiner = '\u2060';
const markers = /[*_~`]/g;

/**
 * Keeps WhatsApp from reading `*`, `_`, `~` and backticks as markup. WhatsApp has no escape
 * character; a style opens only at a word boundary, so each marker gets an invisible word joiner on
 * both sides (copied along when people copy the text). Backslashes and everything else stay as written.
 */
export function escapeWhatsAppText(text: string): string {
  return text.replace(markers, (marker) => `${joiner}${marker}${joiner}`);
}

/** Wraps `inner` in a marker, keeping outer spaces outside it (WhatsApp ignores `* bold *`). */
function wrap(marker: string, inner: string): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner);
  const [, before = '', core = '', after = ''] = match ?? [];
  return core === '' ? inner : `${before}${marker}${core}${marker}${after}`;
}

/** Monospace text: WhatsApp shows what is inside ``` as written, but cannot show ``` itself there. */
function monospace(text: string): string {
  return `\`\`\`${text.replaceAll('```', '`\u200b`\u200b`')}\`\`\``;
}

function inline(tokens: readonly Token[] | undefined): string {
  return (tokens ?? []).map(inlineToken).join('');
}

const safeUrl = (href: string) => (/^(https?:|mailto:)/i.test(href.trim()) ? href.trim() : undefined);

function inlineToken(token: Token): string {
  switch (token.type) {
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? inline(text.tokens) : escapeWhatsAppText(text.text);
    }
    case 'escape':
      return escapeWhatsAppText((token as Tokens.Escape).text);
    case 'strong':
      return wrap('*', inline((token as Tokens.Strong).tokens));
    case 'em':
      return wrap('_', inline((token as Tokens.Em).tokens));
    case 'del':
      return wrap('~', inline((token as Tokens.Del).tokens));
    case 'codespan': {
      const code = (token as Tokens.Codespan).text;
      return code.includes('`') ? monospace(code) : `\`${code}\``;
    }
    case 'br':
      return '\n';
    case 'link': {
      const link = token as Tokens.Link;
      const label = inline(link.tokens);
      const url = safeUrl(link.href);
      if (url === undefined) return label;
      return label === '' || label === escapeWhatsAppText(url) ? url : `${label} (${url})`;
    }
    case 'image': {
      const image = token as Tokens.Image;
      const url = safeUrl(image.href);
      const label = escapeWhatsAppText(image.text);
      return url === undefined ? label : `${label} (${url})`;
    }
    case 'html':
      return escapeWhatsAppText(token.raw);
    default:
      return escapeWhatsAppText(token.raw);
  }
}

function list(token: Tokens.List, depth: number): string {
  const start = typeof token.start === 'number' ? token.start : 1;
  return token.items
    .map((item, index) => {
      const bullet = token.ordered ? `${start + index}.` : '-';
      const task = item.task ? (item.checked ? '☑ ' : '☐ ') : '';
      const parts = item.tokens
        .filter((child) => child.type !== 'checkbox')
        .map((child) => (child.type === 'list' ? list(child as Tokens.List, depth + 1) : block(child, depth + 1)));
      const [first = '', ...rest] = parts.filter((part) => part !== '');
      return [`${'  '.repeat(depth)}${bullet} ${task}${first}`, ...rest].join('\n');
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
      return text.tokens ? inline(text.tokens) : escapeWhatsAppText(text.text);
    }
    case 'heading':
      return wrap('*', inline((token as Tokens.Heading).tokens));
    case 'code':
      return monospace(`\n${(token as Tokens.Code).text}\n`);
    case 'blockquote':
      return (token as Tokens.Blockquote).tokens
        .map((child) => block(child, depth))
        .filter((part) => part !== '')
        .join('\n')
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n');
    case 'list':
      return list(token as Tokens.List, depth);
    case 'hr':
      return '───';
    case 'table': {
      const table = token as Tokens.Table;
      const row = (cells: Tokens.TableCell[]) => cells.map((cell) => cell.text).join(' | ');
      return monospace(`\n${[row(table.header), ...table.rows.map(row)].join('\n')}\n`);
    }
    default:
      return escapeWhatsAppText(token.raw.trimEnd());
  }
}

/**
 * Converts CommonMark as models write it to WhatsApp's markup: `**bold**` → `*bold*`, `_italic_`,
 * `~~strike~~` → `~strike~`, inline code in backticks, code blocks and tables in ``` (shown as written),
 * headings bold, lists with `-` and numbers, quotes with `>`, links as `label (url)` (http, https and
 * mailto only). Literal `*`, `_`, `~` and backticks in the text are neutralized (see
 * {@link escapeWhatsAppText}). Not expressible: links with hidden targets, heading levels, ``` inside a
 * code block (shown with zero-width spaces between the backticks).
 */
export function convertToWhatsAppMarkup(markdown: string): string {
  return lexer(markdown)
    .map((token) => block(token))
    .filter((part) => part !== '')
    .join('\n\n');
}
