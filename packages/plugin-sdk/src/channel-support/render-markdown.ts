// One walk over a markdown lexer's tokens (marked's shape, read structurally: this package does not
// depend on a lexer) for the adapters whose platform speaks a markup of its own. The walk decides
// what every converter decides alike: which tokens are literal text, how nested tokens are joined,
// that a task box is shown by the item, that empty blocks vanish. The rules decide what differs per
// platform: escaping, markers, bullets, what a quote line, a code block or a table looks like.

/** The part of a lexer's token that the walk reads (marked's `Token` fits it). */
export interface MarkdownToken {
  readonly type: string;
  readonly raw: string;
  readonly text?: string;
  readonly tokens?: readonly MarkdownToken[];
  readonly href?: string;
  readonly depth?: number;
  readonly lang?: string;
  readonly ordered?: boolean;
  readonly start?: number | '';
  readonly items?: readonly MarkdownListItem[];
  readonly header?: readonly MarkdownTableCell[];
  readonly rows?: readonly (readonly MarkdownTableCell[])[];
}

/** An item of a list token. */
export interface MarkdownListItem {
  readonly task: boolean;
  readonly checked?: boolean;
  readonly tokens: readonly MarkdownToken[];
}

/** A cell of a table token. */
export interface MarkdownTableCell {
  readonly text: string;
  readonly tokens: readonly MarkdownToken[];
}

/** A table cell as the rules receive it: as written, and rendered with the inline rules. */
export interface RenderedCell {
  readonly text: string;
  readonly shown: string;
}

/** The walk itself, for rules that render a list or a quote their own way. */
export interface MarkdownWalk {
  inline(tokens: readonly MarkdownToken[] | undefined): string;
  block(token: MarkdownToken, depth: number): string;
}

/** What a platform's markup makes of each token. Inner text comes rendered already. */
export interface MarkdownRules {
  /** Literal text, escaped for the platform; neighbouring literal tokens come joined (`\*\*` is two escapes that make `**`). */
  text(text: string): string;
  strong(inner: string): string;
  em(inner: string): string;
  del(inner: string): string;
  codespan(code: string): string;
  /** A link: its label rendered, its target as written (the rules check its scheme). */
  link(label: string, href: string): string;
  /** An image: its alternative text and target, both as written. */
  image(alt: string, href: string): string;
  heading(inner: string, depth: number): string;
  code(code: string, lang: string | undefined): string;
  table(header: readonly RenderedCell[], rows: readonly (readonly RenderedCell[])[]): string;
  hr: string;
  /** Each line of a quote (the quote's blocks joined by one newline). */
  quoteLine(line: string): string;
  /** A list's bullet for an unordered item and the indentation of one nesting level. */
  list: { readonly bullet: string; readonly indent: string };
  /** The first block of a list item, after its bullet (default: as it is). */
  itemOpening?(first: string): string;
  /** A paragraph, a block of bare text or a block the rules do not name, once rendered (default: as it is). */
  paragraph?(shown: string): string;
  /** A whole list, instead of the default (bullet, box, first block, the rest on lines of their own). */
  renderList?(token: MarkdownToken, depth: number, walk: MarkdownWalk): string;
  /** A whole quote, instead of the default (its blocks joined by a newline, each line through `quoteLine`). */
  renderQuote?(token: MarkdownToken, depth: number, walk: MarkdownWalk): string;
  /** What separates top-level blocks (default: a blank line). */
  blockSeparator?: string;
}

/** The text of a token that is literal text, or undefined when it is markup. */
function literalText(token: MarkdownToken): string | undefined {
  if (token.type === 'escape') return token.text ?? '';
  if (token.type === 'text' && !token.tokens) return token.text ?? '';
  return undefined;
}

/** The walk with the given rules. */
function createWalk(rules: MarkdownRules): MarkdownWalk {
  const paragraph = (shown: string) => (rules.paragraph ? rules.paragraph(shown) : shown);

  const inline = (tokens: readonly MarkdownToken[] | undefined): string => {
    let out = '';
    let pending = '';
    for (const token of tokens ?? []) {
      const text = literalText(token);
      if (text !== undefined) {
        pending += text;
        continue;
      }
      if (pending !== '') out += rules.text(pending);
      out += inlineToken(token);
      pending = '';
    }
    return pending === '' ? out : out + rules.text(pending);
  };

  const inlineToken = (token: MarkdownToken): string => {
    switch (token.type) {
      case 'text':
        return inline(token.tokens);
      case 'strong':
        return rules.strong(inline(token.tokens));
      case 'em':
        return rules.em(inline(token.tokens));
      case 'del':
        return rules.del(inline(token.tokens));
      case 'codespan':
        return rules.codespan(token.text ?? '');
      case 'br':
        return '\n';
      case 'link':
        return rules.link(inline(token.tokens), token.href ?? '');
      case 'image':
        return rules.image(token.text ?? '', token.href ?? '');
      default:
        return rules.text(token.raw);
    }
  };

  const list = (token: MarkdownToken, depth: number): string => {
    const start = typeof token.start === 'number' ? token.start : 1;
    return (token.items ?? [])
      .map((item, index) => {
        const bullet = token.ordered ? `${start + index}.` : rules.list.bullet;
        const box = item.task ? (item.checked ? '☑ ' : '☐ ') : '';
        const parts = item.tokens
          // marked gives a task item's box as a token of its own; the box above shows it.
          .filter((child) => child.type !== 'checkbox')
          .map((child) => block(child, depth + 1))
          .filter((part) => part !== '');
        const [first = '', ...rest] = parts;
        const opening = rules.itemOpening ? rules.itemOpening(first) : first;
        return [`${rules.list.indent.repeat(depth)}${bullet} ${box}${opening}`, ...rest].join('\n');
      })
      .join('\n');
  };

  const quote = (token: MarkdownToken, depth: number): string =>
    (token.tokens ?? [])
      .map((child) => block(child, depth))
      .filter((part) => part !== '')
      .join('\n')
      .split('\n')
      .map((line) => rules.quoteLine(line))
      .join('\n');

  const cells = (row: readonly MarkdownTableCell[]): RenderedCell[] =>
    row.map((cell) => ({ text: cell.text, shown: inline(cell.tokens) }));

  const block = (token: MarkdownToken, depth: number): string => {
    switch (token.type) {
      case 'space':
      case 'checkbox':
        return '';
      case 'paragraph':
      case 'text':
        return paragraph(inline(token.type === 'text' && !token.tokens ? [token] : token.tokens));
      case 'heading':
        return rules.heading(inline(token.tokens), token.depth ?? 1);
      case 'code':
        return rules.code(token.text ?? '', token.lang === '' ? undefined : token.lang);
      case 'blockquote':
        return rules.renderQuote ? rules.renderQuote(token, depth, walk) : quote(token, depth);
      case 'list':
        return rules.renderList ? rules.renderList(token, depth, walk) : list(token, depth);
      case 'hr':
        return rules.hr;
      case 'table':
        return rules.table(cells(token.header ?? []), (token.rows ?? []).map(cells));
      default:
        return paragraph(rules.text(token.raw.trimEnd()));
    }
  };

  const walk: MarkdownWalk = { inline, block };
  return walk;
}

/**
 * Renders a lexer's tokens (e.g. marked's `lexer(markdown)`) with a platform's rules: each top-level
 * block rendered, the empty ones dropped, the rest joined by `rules.blockSeparator` (a blank line).
 */
export function renderMarkdown(tokens: readonly MarkdownToken[], rules: MarkdownRules): string {
  const walk = createWalk(rules);
  return tokens
    .map((token) => walk.block(token, 0))
    .filter((part) => part !== '')
    .join(rules.blockSeparator ?? '\n\n');
}

/** Wraps `inner` in a marker, keeping its outer spaces outside (most platforms ignore `* bold *`); empty stays empty. */
export function wrapMarkup(marker: string, inner: string): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner);
  const [, before = '', core = '', after = ''] = match ?? [];
  return core === '' ? inner : `${before}${marker}${core}${marker}${after}`;
}
