/** U+2060 WORD JOINER, which WhatsApp does not count as a word boundary. */
const joiner = '\u2060';
const styles: Record<string, string> = { '*': 'bold', _: 'italic', '~': 'strike', '`': 'code' };

/** A style span WhatsApp would show. */
export interface FakeWhatsAppStyle {
  style: 'bold' | 'italic' | 'strike' | 'code' | 'monospace';
  /** The text inside the markers, as shown. */
  text: string;
}

// A marker opens after a start, space or punctuation (not a letter, digit or word joiner) and before a
// non-space; it closes after a non-space and before an end, space or punctuation.
const boundary = (char: string | undefined) => char === undefined || (!/[\p{L}\p{N}]/u.test(char) && char !== joiner);

/**
 * How WhatsApp shows a text body, as far as the fake models it: ```monospace``` first (nothing styled
 * inside), then `*bold*`, `_italic_`, `~strike~` and `` `code` `` spans whose markers stand at word
 * boundaries (so `a*b*c` stays as written and markers next to a word joiner never apply); word joiners
 * are invisible. Returns the text as people see it and the spans.
 */
export function renderWhatsAppText(body: string): { text: string; styles: FakeWhatsAppStyle[] } {
  const found: FakeWhatsAppStyle[] = [];
  const parts = body.split('```');
  const shown: string[] = [];
  parts.forEach((part, index) => {
    const inside = index % 2 === 1 && index < parts.length - 1;
    if (inside) {
      found.push({ style: 'monospace', text: part });
      shown.push(part);
    } else shown.push(index % 2 === 1 ? `\`\`\`${renderSpans(part, found)}` : renderSpans(part, found));
  });
  return { text: shown.join('').replaceAll(joiner, ''), styles: found };
}

function renderSpans(text: string, found: FakeWhatsAppStyle[]): string {
  let out = '';
  let index = 0;
  while (index < text.length) {
    const char = text[index] ?? '';
    const style = styles[char];
    if (style !== undefined && boundary(text[index - 1]) && text[index + 1] !== undefined && !/\s/.test(text[index + 1] ?? '')) {
      let end = text.indexOf(char, index + 1);
      while (end !== -1 && (/\s/.test(text[end - 1] ?? '') || !boundary(text[end + 1]))) end = text.indexOf(char, end + 1);
      const inner = end === -1 ? '' : text.slice(index + 1, end);
      if (end !== -1 && inner !== '' && !inner.includes('\n')) {
        const rendered = style === 'code' ? inner : renderSpans(inner, found);
        found.push({ style: style as FakeWhatsAppStyle['style'], text: rendered.replaceAll(joiner, '') });
        out += rendered;
        index = end + 1;
        continue;
      }
    }
    out += char;
    index += 1;
  }
  return out;
}
