import { lexer, type Token, type Tokens } from 'marked';

/** One element of a Feishu `post` paragraph. */
export type FeishuPostElement =
  | { tag: 'text'; text: string; style?: Array<'bold' | 'italic' | 'lineThrough' | 'underline'> }
  | { tag: 'a'; text: string; href: string }
  | { tag: 'code_block'; language: string; text: string }
  | { tag: 'hr' };

/** The `content` of a `post` message: one locale, paragraphs of elements. */
export interface FeishuPost {
  zh_cn: { title: string; content: FeishuPostElement[][] };
}

type Style = 'bold' | 'italic' | 'lineThrough';

const safeHref = (href: string) => /^(https?:|mailto:)/i.test(href);

/** Inline tokens → elements of the current line; `lines` receives finished lines at line breaks. */
function inline(
  tokens: Token[] | undefined,
  styles: Style[],
  line: FeishuPostElement[],
  lines: FeishuPostElement[][],
): FeishuPostElement[] {
  let current = line;
  const pushText = (text: string) => {
    const parts = text.split('\n');
    parts.forEach((part, index) => {
      if (index > 0) {
        lines.push(current);
        current = [];
      }
      if (part !== '')
        current.push(styles.length > 0 ? { tag: 'text', text: part, style: [...styles] } : { tag: 'text', text: part });
    });
  };
  for (const token of tokens ?? []) {
    switch (token.type) {
      case 'strong':
        current = inline((token as Tokens.Strong).tokens, [...styles, 'bold'], current, lines);
        break;
      case 'em':
        current = inline((token as Tokens.Em).tokens, [...styles, 'italic'], current, lines);
        break;
      case 'del':
        current = inline((token as Tokens.Del).tokens, [...styles, 'lineThrough'], current, lines);
        break;
      case 'link': {
        const link = token as Tokens.Link;
        const text = plainOf(link.tokens) || link.href;
        if (safeHref(link.href)) current.push({ tag: 'a', text, href: link.href });
        else pushText(text);
        break;
      }
      case 'br':
        lines.push(current);
        current = [];
        break;
      case 'codespan':
        pushText(decodeEntities((token as Tokens.Codespan).text));
        break;
      case 'text': {
        const text = token as Tokens.Text;
        if (text.tokens && text.tokens.length > 0) current = inline(text.tokens, styles, current, lines);
        else pushText(decodeEntities(text.text));
        break;
      }
      case 'escape':
        pushText((token as Tokens.Escape).text);
        break;
      case 'image': {
        const image = token as Tokens.Image;
        if (safeHref(image.href)) current.push({ tag: 'a', text: image.text || image.href, href: image.href });
        else pushText(image.text);
        break;
      }
      default:
        pushText('raw' in token ? String(token.raw) : '');
    }
  }
  return current;
}

/** marked keeps HTML entities of the source text in `text`; people typed the characters. */
function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

function plainOf(tokens: Token[] | undefined): string {
  const lines: FeishuPostElement[][] = [];
  const last = inline(tokens, [], [], lines);
  return [...lines, last].map((line) => line.map((element) => ('text' in element ? element.text : '')).join('')).join(' ');
}

function blocks(tokens: Token[], lines: FeishuPostElement[][], prefix: string): void {
  for (const token of tokens) {
    switch (token.type) {
      case 'space':
        break;
      case 'heading':
        lines.push(inline((token as Tokens.Heading).tokens, ['bold'], prefix ? [{ tag: 'text', text: prefix }] : [], lines));
        break;
      case 'paragraph':
        lines.push(inline((token as Tokens.Paragraph).tokens, [], prefix ? [{ tag: 'text', text: prefix }] : [], lines));
        break;
      case 'text':
        lines.push(inline([token], [], prefix ? [{ tag: 'text', text: prefix }] : [], lines));
        break;
      case 'code': {
        const code = token as Tokens.Code;
        lines.push([{ tag: 'code_block', language: code.lang?.split(/\s/)[0] ?? '', text: code.text }]);
        break;
      }
      case 'hr':
        lines.push([{ tag: 'hr' }]);
        break;
      case 'blockquote':
        blocks((token as Tokens.Blockquote).tokens, lines, `${prefix}> `);
        break;
      case 'list': {
        const list = token as Tokens.List;
        const start = typeof list.start === 'number' ? list.start : 1;
        list.items.forEach((item, index) => {
          const marker = list.ordered ? `${start + index}. ` : '• ';
          const before = lines.length;
          blocks(item.tokens, lines, '');
          const first = lines[before];
          if (first) first.unshift({ tag: 'text', text: `${prefix}${marker}` });
          else lines.push([{ tag: 'text', text: `${prefix}${marker}` }]);
          for (let next = before + 1; next < lines.length; next += 1) lines[next]?.unshift({ tag: 'text', text: `${prefix}   ` });
        });
        break;
      }
      case 'table': {
        const table = token as Tokens.Table;
        const row = (cells: Tokens.TableCell[]) => cells.map((cell) => plainOf(cell.tokens)).join(' | ');
        lines.push([{ tag: 'text', text: `${prefix}${row(table.header)}` }]);
        for (const cells of table.rows) lines.push([{ tag: 'text', text: `${prefix}${row(cells)}` }]);
        break;
      }
      default:
        if ('raw' in token && String(token.raw).trim() !== '')
          lines.push([{ tag: 'text', text: `${prefix}${String(token.raw).trimEnd()}` }]);
    }
  }
}

/**
 * Converts markdown as models write it into the `content` of a Feishu `post` message: bold, italic and
 * strike-through become text styles, http(s) links `a` elements, fenced code `code_block`, headings bold
 * lines, lists and quotes lines with their markers; every other character stays literal text (a post's
 * text elements are not parsed, so nothing needs escaping).
 */
export function convertToFeishuPost(markdown: string): FeishuPost {
  const lines: FeishuPostElement[][] = [];
  blocks(lexer(markdown), lines, '');
  return { zh_cn: { title: '', content: lines.filter((line) => line.length > 0) } };
}

/** The text people read in a post made by {@link convertToFeishuPost} (for logs and tests). */
export function feishuPostText(post: FeishuPost): string {
  return post.zh_cn.content
    .map((line) => line.map((element) => (element.tag === 'hr' ? '---' : element.text)).join(''))
    .join('\n');
}

/**
 * Plain text for a `text` message: shown as written, except that Feishu reads `<at user_id="…">` tags in
 * it (a mention of everyone with `all`): a word joiner after `<` keeps such a tag from being read.
 */
export function escapeFeishuText(text: string): string {
  return text.replace(/<(\/?at\b)/gi, '<\u2060$1');
}
