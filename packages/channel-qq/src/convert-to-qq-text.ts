// QQ shows text as typed: no markup at all. Markdown becomes clean plain text — emphasis markers removed,
// headings as their words, list bullets as "•", links as `text (url)`, code kept verbatim (a code block's
// lines unchanged, without the fences) so code stays readable and copyable.

// Private-use characters mark what is already final text while emphasis is stripped around it.
const placeholder = (index: number) => `\uE000${index}\uE001`;

function stripEmphasis(text: string): string {
  let out = text;
  // Repeated so nested emphasis (***x***, **_x_**) unwraps layer by layer.
  for (let pass = 0; pass < 3; pass += 1) {
    out = out
      .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
      .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1')
      .replace(/(^|[^\\*\w])\*(?=[^\s*])([^*\n]*?[^\s\\*])\*(?![*\w])/g, '$1$2')
      .replace(/(^|[^\\_\w])_(?=[^\s_])([^_\n]*?[^\s\\_])_(?![_\w])/g, '$1$2');
  }
  return out;
}

function inline(line: string): string {
  const kept: string[] = [];
  const keep = (value: string) => {
    kept.push(value);
    return placeholder(kept.length - 1);
  };
  let out = line
    // Code spans first: nothing inside them is markup.
    .replace(/(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g, (_match, _fence: string, code: string) =>
      keep(code.length > 2 && code.startsWith(' ') && code.endsWith(' ') ? code.slice(1, -1) : code),
    )
    .replace(/\\([\\`*_{}[\]()#+\-.!|~<>])/g, (_match, character: string) => keep(character))
    .replace(/!\[([^\]]*)\]\(\s*<?([^\s)>]+)>?(?:\s+"[^"]*")?\s*\)/g, (_match, alt: string, url: string) =>
      keep(alt === '' ? url : `${stripEmphasis(alt)} (${url})`),
    )
    .replace(/\[([^\]]+)\]\(\s*<?([^\s)>]+)>?(?:\s+"[^"]*")?\s*\)/g, (_match, label: string, url: string) =>
      keep(label === url ? url : `${stripEmphasis(label)} (${url})`),
    )
    .replace(/<((?:https?|mailto):[^\s>]+)>/g, (_match, url: string) => keep(url));
  out = stripEmphasis(out);
  for (;;) {
    const restored = out.replace(/\uE000(\d+)\uE001/g, (_match, index: string) => kept[Number(index)] ?? '');
    if (restored === out) break;
    out = restored;
  }
  return out;
}

/** The cells of a table row: split at `|` outside code spans and not escaped. */
function tableCells(row: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let inCode = false;
  for (let index = 0; index < row.length; index += 1) {
    const character = row[index] ?? '';
    if (character === '`') inCode = !inCode;
    if (character === '|' && !inCode && row[index - 1] !== '\\') {
      cells.push(cell);
      cell = '';
    } else cell += character;
  }
  cells.push(cell);
  return cells;
}

function block(line: string): string {
  const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+\s*)?$/.exec(line);
  if (heading) return inline(heading[1] ?? '');
  if (/^ {0,3}([-*_])( *\1){2,} *$/.test(line)) return '──────────';
  if (/^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)+\|?\s*$/.test(line) || /^\s*\|\s*:?-+:?\s*\|\s*$/.test(line)) return '';
  const bullet = /^(\s*)[-*+]\s+(\[[ xX]\]\s+)?(.*)$/.exec(line);
  if (bullet) {
    const box = bullet[2] === undefined ? '' : /x/i.test(bullet[2]) ? '☑ ' : '☐ ';
    return `${bullet[1]}• ${box}${inline(bullet[3] ?? '')}`;
  }
  const table = /^\s*\|(.*)\|\s*$/.exec(line);
  if (table)
    return tableCells(table[1] ?? '')
      .map((cell) => inline(cell.trim()))
      .join(' | ');
  return inline(line);
}

/** Markdown (CommonMark as models write it) → the plain text QQ shows. */
export function convertToQQText(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of lines) {
    const opening = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence !== undefined) {
      if (opening && (opening[1] ?? '').startsWith(fence) && line.trim() === opening[1]) fence = undefined;
      else out.push(line);
      continue;
    }
    if (opening) {
      fence = opening[1] ?? '```';
      continue;
    }
    const emptyRow = block(line);
    if (emptyRow === '' && line.trim() !== '') continue;
    out.push(emptyRow);
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
