import { lexer, type Token, type Tokens } from 'marked';

/** A zero-width space: breaks a marker WeCom would read without changing what people see. */
const breaker = '\u200b';

/**
 * Literal text as WeCom's markdown shows it as written: `**`/`__` pairs and a `[label](url)` shape get
 * a zero-width space inside them (WeCom's markdown has no backslash escape), and a `<font` tag is
 * broken the same way so literal text never turns coloured.
 */
function literal(text: string): string {
  return text
    .replace(/\*\*/g, `*${breaker}*`)
    .replace(/__/g, `_${breaker}_`)
    .replace(/\]\(/g, `]${breaker}(`)
    .replace(/<(\/?font)/gi, `<${breaker}$1`);
}

/** A line that would start a heading or a quote gets a zero-width space in front. */
function guardLineStart(text: string): string {
  return text.replace(/^([#>])/gm, `${breaker}$1`);
}

const safeUrl = (href: string): string | undefined => {
  const trimmed = href.trim();
  if (!/^(https?:|mailto:)/i.test(trimmed)) return undefined;
  return trimmed.replaceAll(' ', '%20').replaceAll('(', '%28').replaceAll(')', '%29');
};

/** The literal text of a token, or undefined when it is markup. */
function literalText(token: Token): string | undefined {
  if (token.type === 'escape') return (token as Tokens.Escape).text;
  if (token.type === 'text' && !(token as Tokens.Text).tokens) return (token as Tokens.Text).text;
  return undefined;
}

function inline(tokens: readonly Token[] | undefined): string {
  // Neighbouring literal tokens are guarded together: `\*\*` is two escape tokens that make `**`.
  let out = '';
  let pending = '';
  for (const token of tokens ?? []) {
    const text = literalText(token);
    if (text !== undefined) {
      pending += text;
      continue;
    }
    out += literal(pending) + inlineToken(token);
    pending = '';
  }
  return out + literal(pending);
}

function inlineToken(token: Token): string {
  switch (token.type) {
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? inline(text.tokens) : literal(text.text);
    }
    case 'escape':
      return literal((token as Tokens.Escape).text);
    case 'strong': {
      const inner = inline((token as Tokens.Strong).tokens).trim();
      return inner === '' ? '' : `**${inner}**`;
    }
    // WeCom's markdown has no italics and no strikethrough: the words stay, the emphasis goes.
    case 'em':
      return inline((token as Tokens.Em).tokens);
    case 'del':
      return inline((token as Tokens.Del).tokens);
    case 'codespan': {
      const code = (token as Tokens.Codespan).text;
      return code.includes('`') ? code : `\`${code}\``;
    }
    case 'br':
      return '\n';
    case 'link': {
      const link = token as Tokens.Link;
      const label = inline(link.tokens);
      const url = safeUrl(link.href);
      if (url === undefined) return label;
      return label === '' || label === link.href ? url : `[${label.replaceAll(']', ')')}](${url})`;
    }
    case 'image': {
      const image = token as Tokens.Image;
      const url = safeUrl(image.href);
      return url === undefined ? literal(image.text) : `[${literal(image.text || 'image').replaceAll(']', ')')}](${url})`;
    }
    default:
      return literal(token.raw);
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
      return [`${'    '.repeat(depth)}${bullet} ${task}${first}`, ...rest].join('\n');
    })
    .join('\n');
}

function block(token: Token, depth = 0): string {
  switch (token.type) {
    case 'space':
      return '';
    case 'paragraph':
      return guardLineStart(inline((token as Tokens.Paragraph).tokens));
    case 'text': {
      const text = token as Tokens.Text;
      return guardLineStart(text.tokens ? inline(text.tokens) : literal(text.text));
    }
    case 'heading': {
      const heading = token as Tokens.Heading;
      return `${'#'.repeat(Math.min(heading.depth, 6))} ${inline(heading.tokens).replaceAll('\n', ' ')}`;
    }
    // No code blocks in WeCom's markdown: each line becomes inline code, which keeps it monospaced.
    case 'code':
      return (token as Tokens.Code).text
        .split('\n')
        .map((line) => (line.trim() === '' ? '' : line.includes('`') ? line : `\`${line}\``))
        .join('\n');
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
      const row = (cells: Tokens.TableCell[]) => cells.map((cell) => inline(cell.tokens)).join(' | ');
      return [`**${row(table.header)}**`, ...table.rows.map(row)].join('\n');
    }
    default:
      return guardLineStart(literal(token.raw.trimEnd()));
  }
}

/**
 * Converts CommonMark as models write it to WeCom's markdown subset (headings, `**bold**`, links,
 * inline code, `>` quotes): italics and strikethrough keep their words without emphasis, lists get
 * bullets, a code block becomes lines of inline code, a table becomes ` | ` rows under a bold header,
 * links keep http, https and mailto only (other schemes keep the label). Literal text that WeCom would
 * read as markup gets zero-width spaces that break the marker (WeCom has no escape character).
 */
export function convertToWeComMarkdown(markdown: string): string {
  return lexer(markdown)
    .map((token) => block(token))
    .filter((part) => part !== '')
    .join('\n\n');
}
