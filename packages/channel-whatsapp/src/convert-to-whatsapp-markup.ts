import { type MarkdownRules, type RenderedCell, renderMarkdown, wrapMarkup } from '@ngb/plugin-sdk';
import { lexer } from 'marked';

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

/** Monospace text: WhatsApp shows what is inside ``` as written, but cannot show ``` itself there. */
function monospace(text: string): string {
  return `\`\`\`${text.replaceAll('```', '`\u200b`\u200b`')}\`\`\``;
}

const safeUrl = (href: string) => (/^(https?:|mailto:)/i.test(href.trim()) ? href.trim() : undefined);

// WhatsApp's answer to each token, for the shared walk.
const whatsAppRules: MarkdownRules = {
  text: escapeWhatsAppText,
  strong: (inner) => wrapMarkup('*', inner),
  em: (inner) => wrapMarkup('_', inner),
  del: (inner) => wrapMarkup('~', inner),
  codespan: (code) => (code.includes('`') ? monospace(code) : `\`${code}\``),
  link(label, href) {
    const url = safeUrl(href);
    if (url === undefined) return label;
    return label === '' || label === escapeWhatsAppText(url) ? url : `${label} (${url})`;
  },
  image(alt, href) {
    const url = safeUrl(href);
    const label = escapeWhatsAppText(alt);
    return url === undefined ? label : `${label} (${url})`;
  },
  heading: (inner) => wrapMarkup('*', inner),
  code: (code) => monospace(`\n${code}\n`),
  quoteLine: (line) => `> ${line}`,
  list: { bullet: '-', indent: '  ' },
  hr: '───',
  // Shown as written in monospace: the cells' own text, not their markup.
  table(header, rows) {
    const row = (cells: readonly RenderedCell[]) => cells.map((cell) => cell.text).join(' | ');
    return monospace(`\n${[row(header), ...rows.map(row)].join('\n')}\n`);
  },
};

/**
 * Converts CommonMark as models write it to WhatsApp's markup: `**bold**` → `*bold*`, `_italic_`,
 * `~~strike~~` → `~strike~`, inline code in backticks, code blocks and tables in ``` (shown as written),
 * headings bold, lists with `-` and numbers, quotes with `>`, links as `label (url)` (http, https and
 * mailto only). Literal `*`, `_`, `~` and backticks in the text are neutralized (see
 * {@link escapeWhatsAppText}). Not expressible: links with hidden targets, heading levels, ``` inside a
 * code block (shown with zero-width spaces between the backticks).
 */
export function convertToWhatsAppMarkup(markdown: string): string {
  return renderMarkdown(lexer(markdown), whatsAppRules);
}
