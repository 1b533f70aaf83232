import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// docs/security-tests.md promises a test for each attack: this keeps every promise pointing at a
// test file that exists and a test in it by that exact name.

const root = fileURLToPath(new URL('../../', import.meta.url));
const table = readFileSync(`${root}docs/security-tests.md`, 'utf8');

/** The rows of the tables: attack, test file, test name. */
function rows(markdown: string): Array<{ attack: string; file: string; test: string }> {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| Attack ') && !line.startsWith('| ---'))
    .map((line) => {
      const cells = line
        .slice(2, -2)
        .split(' | ')
        .map((cell) => cell.trim());
      if (cells.length !== 3) throw new Error(`docs/security-tests.md: a row needs 3 cells, not ${cells.length}: ${line}`);
      const [attack = '', file = '', test = ''] = cells;
      return { attack, file, test };
    });
}

/** Whether `source` holds `name` as a whole quoted string: a test, a describe block or a row of `it.each`. */
function holdsTest(source: string, name: string): boolean {
  return [`'${name}'`, `"${name}"`, `\`${name}\``].some((quoted) => source.includes(quoted));
}

describe('docs/security-tests.md', () => {
  const parsed = rows(table);

  it('lists the attacks of every theme', () => {
    expect(parsed.length).toBeGreaterThan(60);
    for (const theme of ['## Sandbox escape', '## Egress proxy bypass', '## Dashboard and API', '## Secret redaction'])
      expect(table).toContain(theme);
  });

  it.each(parsed.map((row) => [row.attack, row] as const))('%s: the named test exists', (_attack, row) => {
    expect(existsSync(`${root}${row.file}`), `${row.file} does not exist`).toBe(true);
    expect(holdsTest(readFileSync(`${root}${row.file}`, 'utf8'), row.test), `${row.file} has no test named "${row.test}"`).toBe(
      true,
    );
  });

  it('catches a row whose test is gone', () => {
    const source = "it('refuses a link', () => {});";
    expect(holdsTest(source, 'refuses a link')).toBe(true);
    expect(holdsTest(source, 'refuses a lin')).toBe(false);
    expect(() => rows('| a | b |\n')).toThrow(/3 cells/);
  });
});
