import { describe, expect, it } from 'vitest';
import { globToRegExp } from './glob-pattern';

describe('globToRegExp', () => {
  it.each([
    ['**/*', 'a.ts', true],
    ['**/*', 'src/deep/a.ts', true],
    ['*.ts', 'a.ts', true],
    ['*.ts', 'src/a.ts', false],
    ['**/*.ts', 'a.ts', true],
    ['**/*.ts', 'src/deep/a.ts', true],
    ['**/*.ts', 'src/a.tsx', false],
    ['src/**', 'src/a/b/c', true],
    ['src/**', 'lib/a', false],
    ['src/**/test/*.js', 'src/test/a.js', true],
    ['src/**/test/*.js', 'src/x/y/test/a.js', true],
    ['src/*.{js,json}', 'src/a.json', true],
    ['src/*.{js,json}', 'src/a.ts', false],
    ['{a,b{c,d}}.txt', 'bd.txt', true],
    ['file?.md', 'file1.md', true],
    ['file?.md', 'file/.md', false],
    ['[ab]*.md', 'b.md', true],
    ['[!ab]*.md', 'b.md', false],
    ['a.b', 'axb', false],
    ['\\*.md', '*.md', true],
    ['(x)+.txt', '(x)+.txt', true],
  ])('%s matches %s: %s', (glob, file, expected) => {
    expect(globToRegExp(glob).test(file)).toBe(expected);
  });

  it('matches base names anywhere when asked and the glob has no slash', () => {
    expect(globToRegExp('*.ts', { matchBaseName: true }).test('src/deep/a.ts')).toBe(true);
    expect(globToRegExp('src/*.ts', { matchBaseName: true }).test('lib/src/a.ts')).toBe(false);
  });
});
