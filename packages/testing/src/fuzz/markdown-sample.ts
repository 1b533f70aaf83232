/** A markdown text and the words a reader must see of it, whatever the platform's markup. */
export interface MarkdownSample {
  markdown: string;
  /** Its visible words (letters and digits), in order; link targets are not visible words. */
  words: string[];
}

const vocabulary = ['alpha', 'beta', 'Gamma', 'δέλτα', '中文', 'x1', '42', 'snake_case', 'e\u0301t\u00e9', 'emoji😀'];
const noise = [
  '*',
  '**',
  '_',
  '__',
  '~',
  '~~',
  '`',
  '\\',
  '#',
  '>',
  '-',
  '+',
  '1.',
  '|',
  '[',
  ']',
  '(',
  ')',
  '!',
  '<',
  '>',
  '&',
  '&amp;',
  '=',
  '{',
  '}',
  '.',
  '@',
  ':',
];

type Block = (word: () => string) => { text: string; words: string[] };

const inline: Block[] = [
  (word) => {
    const w = word();
    return { text: w, words: [w] };
  },
  (word) => {
    const w = word();
    return { text: `**${w}**`, words: [w] };
  },
  (word) => {
    const w = word();
    return { text: `_${w}_`, words: [w] };
  },
  (word) => {
    const w = word();
    return { text: `~~${w}~~`, words: [w] };
  },
  (word) => {
    const w = word();
    return { text: `\`${w}\``, words: [w] };
  },
  (word) => {
    const w = word();
    return { text: `[${w}](https://example.com/page)`, words: [w] };
  },
  (word) => {
    const w = word();
    return { text: `[${w}](javascript:alert)`, words: [w] };
  },
];

const lineStarts = ['', '', '', '# ', '## ', '- ', '* ', '1. ', '> '];

/**
 * A markdown text built from numbers (as a property-test framework generates and shrinks them):
 * lines of words, emphasis, code, links, headings, lists, quotes, fenced code and stray markup
 * characters standing alone between spaces.
 */
export function markdownSample(choices: readonly number[]): MarkdownSample {
  let next = 0;
  const pick = () => choices[next++ % Math.max(choices.length, 1)] ?? 0;
  const word = () => vocabulary[pick() % vocabulary.length] as string;
  const lines: string[] = [];
  const words: string[] = [];
  const lineCount = 1 + (pick() % 5);
  for (let line = 0; line < lineCount; line++) {
    if (pick() % 7 === 0) {
      const code = [word(), word()];
      lines.push('```', code.join(' '), '```');
      words.push(...code);
      continue;
    }
    const parts: string[] = [];
    const pieces = 1 + (pick() % 6);
    for (let piece = 0; piece < pieces; piece++) {
      if (pick() % 4 === 0) {
        parts.push(noise[pick() % noise.length] as string);
        continue;
      }
      const made = (inline[pick() % inline.length] as Block)(word);
      parts.push(made.text);
      words.push(...made.words);
    }
    lines.push(`${lineStarts[pick() % lineStarts.length]}${parts.join(' ')}`);
  }
  return { markdown: lines.join('\n'), words: words.flatMap(wordsOf) };
}

/** The words of a text: runs of letters, marks and digits, after removing invisible characters. */
export function wordsOf(text: string): string[] {
  return text.replace(/[\u200B-\u200D\u2060\uFEFF]/g, '').match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
}

/** True when `wanted` appears in `found` in the same order (other words may come between). */
export function isSubsequence(wanted: readonly string[], found: readonly string[]): boolean {
  let index = 0;
  for (const word of found) if (word === wanted[index]) index += 1;
  return index === wanted.length;
}
