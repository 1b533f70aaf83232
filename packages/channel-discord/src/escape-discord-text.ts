// Discord reads a backslash before any punctuation as "this character as is", so plain text is kept
// plain by escaping every character its markdown gives a meaning to. URLs are left whole: an escaped
// underscore inside one would break the link Discord makes of it.

const inlineMarkup = /[\\*_~`|[\]<]/g;
const url = /https?:\/\/[^\s<>]+/g;

function escapeSpan(text: string): string {
  return text.replace(inlineMarkup, (character) => `\\${character}`);
}

function escapeLineStart(line: string): string {
  // Headings (`#`, `-#` subtext), quotes, bullets and numbered lists start a line.
  return line.replace(/^(\s*)([#>+-])/, '$1\\$2').replace(/^(\s*\d+)([.)])(?=\s)/, '$1\\$2');
}

/**
 * Escapes text so Discord shows it exactly as written: no emphasis, code, spoilers, headings, quotes,
 * lists, masked links or mentions made of its characters.
 * @param text any text
 * @returns the text with Discord's markdown characters backslash-escaped (URLs untouched)
 */
export function escapeDiscordText(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      let out = '';
      let last = 0;
      for (const match of line.matchAll(url)) {
        out += escapeSpan(line.slice(last, match.index)) + match[0];
        last = match.index + match[0].length;
      }
      return escapeLineStart(out + escapeSpan(line.slice(last)));
    })
    .join('\n');
}

/**
 * What people see of escaped text: the backslash escapes removed (the inverse of
 * {@link escapeDiscordText} for text that carried no markup).
 */
export function unescapeDiscordText(text: string): string {
  return text.replace(/\\([^\p{L}\p{N}\s])/gu, '$1');
}
