/** The longest file name most file systems take, in bytes of UTF-8. */
const maxNameBytes = 255;
/** An extension longer than this is part of the name (it is cut with it). */
const maxExtensionBytes = 32;

// Separators, NUL and every other control character, and the marks that reorder text on screen
// (a name like `gpj.exe` shown as `exe.jpg`).
function isUnsafe(character: string): boolean {
  const code = character.codePointAt(0) ?? 0;
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    character === '/' ||
    character === '\\' ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');

/** The longest start of `text` within `budget` bytes, never cutting a character. */
function cutToBytes(text: string, budget: number): string {
  let kept = '';
  let used = 0;
  for (const character of text) {
    const size = byteLength(character);
    if (used + size > budget) break;
    kept += character;
    used += size;
  }
  return kept;
}

/** A name and its extension (with its dot), when it has a short one. */
function splitExtension(name: string): { stem: string; extension: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return { stem: name, extension: '' };
  const extension = name.slice(dot);
  if (byteLength(extension) > maxExtensionBytes || /\s/.test(extension)) return { stem: name, extension: '' };
  return { stem: name.slice(0, dot), extension };
}

/**
 * A file name that is safe to create in a folder, from a name someone else chose: no path
 * separator, no `..`, no NUL or other control character, no leading dot (nothing hidden), at most
 * 255 bytes of UTF-8 with `suffix` added before the extension (the name is cut, the extension
 * kept); `file` when nothing is left.
 * @param suffix text added before the extension (such as `-1a2b3c4d`), within the 255 bytes
 * @returns `shown`, the cleaned name without the suffix, and `fileName`, the name to create
 */
export function safeFileName(name: string | undefined, suffix = ''): { shown: string; fileName: string } {
  const cleaned =
    Array.from((name ?? '').normalize('NFC'), (character) => (isUnsafe(character) ? '_' : character))
      .join('')
      .replace(/\.{2,}/g, '.')
      .trim()
      .replace(/^[.\s]+/, '')
      .replace(/[.\s]+$/, '') || 'file';
  const { stem, extension } = splitExtension(cleaned);
  const fit = (extra: string) =>
    `${cutToBytes(stem, maxNameBytes - byteLength(extra) - byteLength(extension))}${extra}${extension}`;
  return { shown: fit(''), fileName: fit(suffix) };
}
