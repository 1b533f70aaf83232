import { parseMarkdownV2 } from '@ngb/testing';
import { describe, expect, it } from 'vitest';
import { convertToTelegramMarkup, escapeTelegramCode, escapeTelegramText, escapeTelegramUrl } from './convert-to-telegram-markup';

/** What Telegram shows for the converted text; fails the test when Telegram would refuse it. */
function shown(markdown: string): string {
  const result = parseMarkdownV2(convertToTelegramMarkup(markdown));
  if (!result.ok) throw new Error(`refused: ${result.error}\n${convertToTelegramMarkup(markdown)}`);
  return result.text;
}

describe('convertToTelegramMarkup', () => {
  it.each([
    ['every reserved character in plain text', 'a_b*c[d]e(f)g~h`i>j#k+l-m=n|o{p}q.r!s\\t'],
    ['a version and a price', 'Version 1.2.3 costs $4.50 (net) - ok!'],
    ['an expression', '2+2=4; x>y; a|b; {x}'],
    ['hash tags and dashes', '#todo - item'],
  ])('escapes %s so Telegram shows it as written', (_name, text) => {
    expect(convertToTelegramMarkup(text)).not.toBe(text);
    expect(shown(text)).toBe(text.replace('\\t', '\\t'));
  });

  it('escapes exactly the reserved characters and the backslash', () => {
    expect(escapeTelegramText('_*[]()~`>#+-=|{}.!\\ a')).toBe('\\_\\*\\[\\]\\(\\)\\~\\`\\>\\#\\+\\-\\=\\|\\{\\}\\.\\!\\\\ a');
    expect(escapeTelegramCode('a`b\\c*d_')).toBe('a\\`b\\\\c*d_');
    expect(escapeTelegramUrl('http://x/a_(b)\\c')).toBe('http://x/a_(b\\)\\\\c');
  });

  it('turns emphasis into entities, nested too', () => {
    expect(convertToTelegramMarkup('**bold** and *it* and ~~gone~~')).toBe('*bold* and _it_ and ~gone~');
    expect(convertToTelegramMarkup('**bold _and italic_ inside**')).toBe('*bold _and italic_ inside*');
    expect(shown('***both***')).toBe('both');
    expect(shown('*a*_b_ and *1.5*')).toBe('ab and 1.5');
  });

  it('keeps markup characters inside code as they are, escaping only ` and \\', () => {
    expect(convertToTelegramMarkup('run `rm -rf *.tmp` now')).toBe('run `rm -rf *.tmp` now');
    expect(convertToTelegramMarkup('``a`b\\c``')).toBe('`a\\`b\\\\c`');
    const block = '```python\nprint("a_b*c") # [x](y)\npath = "C:\\\\dir"\n```';
    expect(convertToTelegramMarkup(block)).toBe('```python\nprint("a_b*c") # [x](y)\npath = "C:\\\\\\\\dir"\n```');
    expect(shown(block)).toBe('print("a_b*c") # [x](y)\npath = "C:\\\\dir"\n');
  });

  it('writes links with ) and \\ escaped in the URL, and only for schemes Telegram links', () => {
    expect(convertToTelegramMarkup('[the docs](https://e.com/a_(b))')).toBe('[the docs](https://e.com/a_(b\\))');
    expect(shown('[the docs](https://e.com/a_(b)) and [x.y](https://e.com?q=1)')).toBe('the docs and x.y');
    expect(shown('[click](javascript:alert(1))')).toBe('click (javascript:alert(1))');
    expect(shown('see https://example.com/a_b.')).toBe('see https://example.com/a_b.');
    expect(shown('![a chart](https://e.com/c.png)')).toBe('a chart');
  });

  it('writes headings bold, lists with markers, quotes, rules and tables', () => {
    expect(shown('# Title.\n\nText')).toBe('Title.\n\nText');
    expect(convertToTelegramMarkup('# Title.')).toBe('*Title\\.*');
    expect(shown('- one\n- two\n  - nested\n\n3. three\n4. four')).toBe('• one\n• two\n  • nested\n\n3. three\n4. four');
    expect(shown('- [x] done\n- [ ] open')).toBe('• ☑ done\n• ☐ open');
    expect(shown('> quoted *text*\n> more')).toBe('quoted text\nmore');
    expect(shown('a\n\n---\n\nb')).toBe('a\n\n———\n\nb');
    expect(shown('| a | b |\n|---|---|\n| 1.5 | x_y |')).toBe('a | b\n1.5 | x_y\n');
  });

  it('shows raw HTML and escapes as typed text', () => {
    expect(shown('hello & <world> \\*not bold\\*')).toBe('hello & <world> *not bold*');
  });

  it('produces text Telegram accepts for any mix of reserved characters', () => {
    const alphabet = [
      '_',
      '*',
      '[',
      ']',
      '(',
      ')',
      '~',
      '`',
      '>',
      '#',
      '+',
      '-',
      '=',
      '|',
      '{',
      '}',
      '.',
      '!',
      '\\',
      'a',
      ' ',
      '\n',
      '1',
    ];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let sample = 0; sample < 500; sample += 1) {
      const text = Array.from(
        { length: 1 + Math.floor(random() * 40) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join('');
      const result = parseMarkdownV2(convertToTelegramMarkup(text));
      expect(result.ok ? 'accepted' : `${JSON.stringify(text)} → ${result.error}`).toBe('accepted');
    }
  });
});
