import { type MarkdownRules, type RenderedCell, renderMarkdown, wrapMarkup } from '@ngb/plugin-sdk';
import { lexer } from 'marked';

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

// mrkdwn's answer to each token, for the shared walk.
const slackRules: MarkdownRules = {
  text: escapeSlackText,
  strong: (inner) => wrapMarkup('*', inner),
  em: (inner) => wrapMarkup('_', inner),
  del: (inner) => wrapMarkup('~', inner),
  codespan: (code) => `\`${escapeSlackText(code)}\``,
  link(label, href) {
    const url = safeUrl(href);
    if (url === undefined) return label;
    return label === '' || label === escapeSlackText(href) ? `<${url}>` : `<${url}|${label}>`;
  },
  image(alt, href) {
    const url = safeUrl(href);
    return url === undefined ? escapeSlackText(alt) : `<${url}|${escapeSlackText(alt || url)}>`;
  },
  heading: (inner) => wrapMarkup('*', inner),
  code: (code) => `\`\`\`\n${escapeSlackText(code)}\n\`\`\``,
  // mrkdwn has no nested quotes: a second `>` would be raw markup inside the quote.
  quoteLine: (line) => (line.startsWith('>') ? line : `> ${line}`),
  list: { bullet: '•', indent: '    ' },
  // A quote opens only at the start of a line; after the bullet its `>` is text, escaped.
  itemOpening: (first) => (first.startsWith('>') ? `&gt;${first.slice(1)}` : first),
  hr: '───',
  table(header, rows) {
    const row = (cells: readonly RenderedCell[]) => cells.map((cell) => cell.shown).join(' | ');
    return [wrapMarkup('*', row(header)), ...rows.map(row)].join('\n');
  },
};

/**
 * Converts CommonMark as models write it to Slack's mrkdwn: `**bold**` → `*bold*`, `_italic_`,
 * `~~strike~~` → `~strike~`, `[label](url)` → `<url|label>` (http, https and mailto only; other
 * schemes keep the label), headings bold, lists with bullets, code as code; `&`, `<` and `>` are
 * escaped everywhere (inside code too), so no text becomes a mention or a link by accident.
 */
export function convertToSlackMarkup(markdown: string): string {
  return renderMarkdown(lexer(markdown), slackRules);
}
