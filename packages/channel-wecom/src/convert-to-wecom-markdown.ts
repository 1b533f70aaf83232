import { type MarkdownRules, type RenderedCell, renderMarkdown } from '@ngb/plugin-sdk';
import { lexer } from 'marked';

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

// WeCom's answer to each token, for the shared walk.
const weComRules: MarkdownRules = {
  text: literal,
  strong(inner) {
    const core = inner.trim();
    return core === '' ? '' : `**${core}**`;
  },
  // WeCom's markdown has no italics and no strikethrough: the words stay, the emphasis goes.
  em: (inner) => inner,
  del: (inner) => inner,
  codespan: (code) => (code.includes('`') ? code : `\`${code}\``),
  link(label, href) {
    const url = safeUrl(href);
    if (url === undefined) return label;
    return label === '' || label === href ? url : `[${label.replaceAll(']', ')')}](${url})`;
  },
  image(alt, href) {
    const url = safeUrl(href);
    return url === undefined ? literal(alt) : `[${literal(alt || 'image').replaceAll(']', ')')}](${url})`;
  },
  heading: (inner, depth) => `${'#'.repeat(Math.min(depth, 6))} ${inner.replaceAll('\n', ' ')}`,
  // No code blocks in WeCom's markdown: each line becomes inline code, which keeps it monospaced.
  code: (code) =>
    code
      .split('\n')
      .map((line) => (line.trim() === '' ? '' : line.includes('`') ? line : `\`${line}\``))
      .join('\n'),
  quoteLine: (line) => `> ${line}`,
  list: { bullet: '•', indent: '    ' },
  paragraph: guardLineStart,
  hr: '───',
  table(header, rows) {
    const row = (cells: readonly RenderedCell[]) => cells.map((cell) => cell.shown).join(' | ');
    return [`**${row(header)}**`, ...rows.map(row)].join('\n');
  },
};

/**
 * Converts CommonMark as models write it to WeCom's markdown subset (headings, `**bold**`, links,
 * inline code, `>` quotes): italics and strikethrough keep their words without emphasis, lists get
 * bullets, a code block becomes lines of inline code, a table becomes ` | ` rows under a bold header,
 * links keep http, https and mailto only (other schemes keep the label). Literal text that WeCom would
 * read as markup gets zero-width spaces that break the marker (WeCom has no escape character).
 */
export function convertToWeComMarkdown(markdown: string): string {
  return renderMarkdown(lexer(markdown), weComRules);
}
