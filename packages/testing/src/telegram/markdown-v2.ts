/** What Telegram makes of a MarkdownV2 text: the text people see, or why it refuses it. */
export type MarkdownV2Result = { ok: true; text: string } | { ok: false; error: string };

const reservedOutside = new Set('_*[]()~`>#+-=|{}.!');

type Open = { kind: string; at: number };

/**
 * Reads a MarkdownV2 text as strictly as the Bot API does: every reserved character outside an entity
 * must be escaped, `` ` `` and `\` inside code, `)` and `\` inside a link's URL; entities must close and
 * nest. Returns the visible text (markup removed) or the Bot API's "can't parse entities" reason.
 */
export function parseMarkdownV2(source: string): MarkdownV2Result {
  let text = '';
  const stack: Open[] = [];
  const fail = (error: string): MarkdownV2Result => ({ ok: false, error });
  const toggle = (kind: string, at: number): string | undefined => {
    const top = stack[stack.length - 1];
    if (top?.kind === kind) {
      stack.pop();
      return undefined;
    }
    if (stack.some((open) => open.kind === kind)) return `Can't find end of ${kind} entity at byte offset ${at}`;
    stack.push({ kind, at });
    return undefined;
  };
  let index = 0;
  let lineStart = true;
  while (index < source.length) {
    const char = source[index] as string;
    const atLineStart = lineStart;
    lineStart = char === '\n';
    if (char === '\\') {
      const next = source[index + 1];
      if (next === undefined) return fail(`Character '\\' is reserved and must be escaped with the preceding '\\'`);
      text += next;
      index += 2;
      continue;
    }
    if (char === '`') {
      const fence = source.startsWith('```', index) ? '```' : '`';
      const code = readCode(source, index + fence.length, fence);
      if (code === undefined) return fail(`Can't find end of ${fence === '```' ? 'Pre' : 'Code'} entity at byte offset ${index}`);
      if (code.error) return fail(code.error);
      let content = code.content;
      if (fence === '```') {
        const newline = content.indexOf('\n');
        if (newline >= 0 && /^[\w+#.-]*$/.test(content.slice(0, newline))) content = content.slice(newline + 1);
      }
      text += content;
      index = code.end;
      continue;
    }
    if (char === '>' && atLineStart) {
      index += 1;
      continue;
    }
    if (char === '[') {
      stack.push({ kind: 'TextUrl', at: index });
      index += 1;
      continue;
    }
    if (char === ']') {
      const top = stack.pop();
      if (top?.kind !== 'TextUrl' || source[index + 1] !== '(')
        return fail(`Character ']' is reserved and must be escaped with the preceding '\\'`);
      const url = readUrl(source, index + 2);
      if (url === undefined) return fail(`Can't find end of a url at byte offset ${index}`);
      index = url;
      continue;
    }
    const twin = source[index + 1] === char;
    const entity =
      char === '*'
        ? 'Bold'
        : char === '~'
          ? 'Strikethrough'
          : char === '_'
            ? twin
              ? 'Underline'
              : 'Italic'
            : char === '|' && twin
              ? 'Spoiler'
              : undefined;
    if (entity !== undefined) {
      const error = toggle(entity, index);
      if (error) return fail(error);
      index += entity === 'Underline' || entity === 'Spoiler' ? 2 : 1;
      continue;
    }
    if (reservedOutside.has(char)) return fail(`Character '${char}' is reserved and must be escaped with the preceding '\\'`);
    if (char !== '\r') text += char;
    index += 1;
  }
  const open = stack[0];
  if (open) return fail(`Can't find end of the entity starting at byte offset ${open.at}`);
  return { ok: true, text };
}

function readCode(source: string, from: number, fence: string): { content: string; end: number; error?: string } | undefined {
  let content = '';
  for (let index = from; index < source.length; ) {
    const char = source[index] as string;
    if (char === '\\') {
      const next = source[index + 1];
      if (next === undefined) return undefined;
      content += next;
      index += 2;
      continue;
    }
    if (source.startsWith(fence, index)) return { content, end: index + fence.length };
    if (char === '`')
      return { content, end: index, error: `Character '\`' is reserved and must be escaped with the preceding '\\'` };
    content += char;
    index += 1;
  }
  return undefined;
}

function readUrl(source: string, from: number): number | undefined {
  for (let index = from; index < source.length; ) {
    const char = source[index];
    if (char === '\\') {
      index += 2;
      continue;
    }
    if (char === ')') return index + 1;
    index += 1;
  }
  return undefined;
}
