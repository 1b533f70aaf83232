/**
 * Compiles a glob to a regular expression over `/`-separated relative paths.
 * Supports `**` (any number of directories), `*` and `?` (within one name), `{a,b}` (nested too),
 * `[abc]` / `[!abc]`, and `\` to escape. With `matchBaseName`, a glob without `/` matches a path
 * whose last name matches it (as ripgrep's `--glob` does).
 */
export function globToRegExp(glob: string, options: { matchBaseName?: boolean } = {}): RegExp {
  const body = compile(glob);
  if (options.matchBaseName && !glob.includes('/')) return new RegExp(`^(?:.*/)?${body}$`);
  return new RegExp(`^${body}$`);
}

function compile(glob: string): string {
  let out = '';
  let index = 0;
  while (index < glob.length) {
    const char = glob[index] as string;
    if (char === '\\' && index + 1 < glob.length) {
      out += escapeCharacter(glob[index + 1] as string);
      index += 2;
    } else if (char === '*' && glob[index + 1] === '*') {
      const atStart = index === 0 || glob[index - 1] === '/';
      const atEnd = index + 2 === glob.length || glob[index + 2] === '/';
      if (atStart && atEnd) {
        // `**/` matches zero or more whole directories; a final `**` matches everything below.
        out += index + 2 === glob.length ? '.*' : '(?:[^/]*/)*';
        index += index + 2 === glob.length ? 2 : 3;
      } else {
        out += '[^/]*';
        index += 2;
      }
    } else if (char === '*') {
      out += '[^/]*';
      index += 1;
    } else if (char === '?') {
      out += '[^/]';
      index += 1;
    } else if (char === '[') {
      const close = glob.indexOf(']', index + 2);
      if (close === -1) {
        out += '\\[';
        index += 1;
      } else {
        let set = glob.slice(index + 1, close);
        const negated = set.startsWith('!') || set.startsWith('^');
        if (negated) set = set.slice(1);
        out += `[${negated ? '^/' : ''}${set.replace(/[\\\]]/g, '\\$&')}]`;
        index = close + 1;
      }
    } else if (char === '{') {
      const close = matchingBrace(glob, index);
      if (close === -1) {
        out += '\\{';
        index += 1;
      } else {
        out += `(?:${splitAlternatives(glob.slice(index + 1, close))
          .map(compile)
          .join('|')})`;
        index = close + 1;
      }
    } else {
      out += escapeCharacter(char);
      index += 1;
    }
  }
  return out;
}

function matchingBrace(glob: string, open: number): number {
  let depth = 0;
  for (let index = open; index < glob.length; index += 1) {
    if (glob[index] === '\\') index += 1;
    else if (glob[index] === '{') depth += 1;
    else if (glob[index] === '}' && --depth === 0) return index;
  }
  return -1;
}

function splitAlternatives(inner: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < inner.length; index += 1) {
    const char = inner[index];
    if (char === '\\') index += 1;
    else if (char === '{') depth += 1;
    else if (char === '}') depth -= 1;
    else if (char === ',' && depth === 0) {
      parts.push(inner.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(inner.slice(start));
  return parts;
}

function escapeCharacter(char: string): string {
  return /[.+^$()|{}[\]\\*?]/.test(char) ? `\\${char}` : char;
}
