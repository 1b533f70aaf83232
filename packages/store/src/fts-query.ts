// Word characters as SQLite's unicode61 tokenizer sees them: letters, digits, and combining marks
// (removed with the diacritics). Everything else separates words.
const wordPattern = /[\p{L}\p{N}\p{Co}][\p{L}\p{N}\p{M}\p{Co}]*/gu;
const maxWords = 32;

/**
 * Turns user text into an FTS5 MATCH expression that can only mean "all these words".
 * Each word becomes an FTS5 string (double quotes doubled), so operators (`AND`, `OR`, `NOT`,
 * `NEAR`), `*`, `^`, parentheses and `column:` filters in the text are never syntax.
 * @returns the expression, or undefined when the text has no words
 */
export function toFtsMatchQuery(text: string): string | undefined {
  const words = text.normalize('NFC').match(wordPattern);
  if (words === null) return undefined;
  return words
    .slice(0, maxWords)
    .map((word) => `"${word.replaceAll('"', '""')}"`)
    .join(' ');
}
