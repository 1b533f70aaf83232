import { lexer, type Token, type Tokens } from 'marked';

// Outside entities Telegram's MarkdownV2 reserves all of these (and `\` itself, the escape character).
const reserved = /[_*[\]()~`>#+\-=|{}.!\\]/g;

/** Escapes text for MarkdownV2 outside entities: every reserved character and `\` get a `\`. */
export function escapeTelegramText(text: string): string {
  return text.replace(reserved, '\\$&');
}

/** Escapes the content of a `code` or `pre` entity: only `` ` `` and `\` are special there. */
export function escapeTelegramCode(text: string): string {
  return text.replace(/[`\\]/g, '\\$&');
}

/** Escapes the URL of an inline link: only `)` and `\` are special there. */
export function escapeTelegramUrl(url: string): string {
  return url.replace(/[)\\]/g, '\\$&');
}

const linkableUrl = /^(https?:\/\/|tg:\/\/|mailto:)/i;

const noStyles: ReadonlySet<string> = new Set();

function inline(tokens: readonly Token[] | undefined, active: ReadonlySet<string> = noStyles): string {
  if (!tokens) return '';
  let out = '';
  let previous: Token | undefined;
  for (const token of tokens) {
    // `__` always opens or closes underline, so two italics that touch are kept apart by a CR, which
    // Telegram ignores.
    if (previous?.type === 'em' && token.type === 'em' && !active.has('em')) out += '\r';
    out += inlineToken(token, active);
    previous = token;
  }
  return out;
}

/** An entity inside the same entity is refused by Telegram (and shows nothing more): it is left out. */
function styled(token: Tokens.Strong | Tokens.Em | Tokens.Del, marker: string, active: ReadonlySet<string>): string {
  if (active.has(token.type)) return inline(token.tokens, active);
  return `${marker}${inline(token.tokens, new Set([...active, token.type]))}${marker}`;
}

function inlineToken(token: Token, active: ReadonlySet<string>): string {
  switch (token.type) {
    case 'strong':
      return styled(token as Tokens.Strong, '*', active);
    case 'em':
      return styled(token as Tokens.Em, '_', active);
    case 'del':
      return styled(token as Tokens.Del, '~', active);
    case 'codespan':
      return `\`${escapeTelegramCode((token as Tokens.Codespan).text)}\``;
    case 'br':
      return '\n';
    case 'link':
    case 'image': {
      const link = token as Tokens.Link | Tokens.Image;
      const label = link.type === 'image' ? escapeTelegramText(link.text || link.href) : inline(link.tokens, active);
      if ('autolink' in link && link.autolink === true) return escapeTelegramText(link.text);
      if (!linkableUrl.test(link.href)) return `${label} \\(${escapeTelegramText(link.href)}\\)`;
      return `[${label || escapeTelegramText(link.href)}](${escapeTelegramUrl(link.href)})`;
    }
    case 'escape':
    case 'html':
      return escapeTelegramText((token as Tokens.Escape | Tokens.HTML).text);
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? inline(text.tokens, active) : escapeTelegramText(text.text);
    }
    default:
      return 'text' in token && typeof token.text === 'string' ? escapeTelegramText(token.text) : '';
  }
}

function codeBlock(text: string, language = ''): string {
  const safeLanguage = /^[\w+#.-]{1,32}$/.test(language) ? escapeTelegramCode(language) : '';
  return `\`\`\`${safeLanguage}\n${escapeTelegramCode(text)}\n\`\`\``;
}

function list(token: Tokens.List, depth: number): string {
  const start = typeof token.start === 'number' ? token.start : 1;
  return token.items
    .map((item, index) => {
      const marker = token.ordered ? `${start + index}\\.` : '•';
      const check = item.task ? (item.checked ? '☑ ' : '☐ ') : '';
      const body = blocks(item.tokens, depth + 1, '\n');
      // A quote opens only at the start of a line; after the bullet its `>` is plain text to escape.
      return `${'  '.repeat(depth)}${marker} ${check}${body.startsWith('>') ? `\\${body}` : body}`;
    })
    .join('\n');
}

function table(token: Tokens.Table): string {
  const row = (cells: Tokens.TableCell[]) => cells.map((cell) => cell.text).join(' | ');
  return codeBlock([row(token.header), ...token.rows.map(row)].join('\n'));
}

function block(token: Token, depth: number): string | undefined {
  switch (token.type) {
    case 'space':
    case 'def':
    case 'checkbox':
      return undefined;
    case 'paragraph':
      return inline((token as Tokens.Paragraph).tokens);
    case 'heading':
      return `*${inline((token as Tokens.Heading).tokens)}*`;
    case 'code':
      return codeBlock((token as Tokens.Code).text, (token as Tokens.Code).lang);
    case 'blockquote': {
      const inner = blocks((token as Tokens.Blockquote).tokens, 0, '\n');
      // Telegram has no nested quotes: a second `>` would be an unescaped reserved character.
      return inner
        .split('\n')
        .map((line) => (line.startsWith('>') ? line : `>${line}`))
        .join('\n');
    }
    case 'list':
      return list(token as Tokens.List, depth);
    case 'hr':
      return '———';
    case 'table':
      return table(token as Tokens.Table);
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? inline(text.tokens) : escapeTelegramText(text.text);
    }
    default:
      return 'raw' in token && typeof token.raw === 'string' ? escapeTelegramText(token.raw.trimEnd()) : undefined;
  }
}

function blocks(tokens: readonly Token[], depth: number, separator: string): string {
  return tokens
    .map((token) => block(token, depth))
    .filter((part): part is string => part !== undefined && part !== '')
    .join(separator);
}

/**
 * Converts CommonMark (as models write it) to Telegram's MarkdownV2: emphasis, code, links, quotes
 * and lists become entities, headings bold, tables a preformatted block; everything else is escaped,
 * so the text people see is the text written.
 */
export function convertToTelegramMarkup(markdown: string): string {
  return blocks(lexer(markdown), 0, '\n\n');
}
