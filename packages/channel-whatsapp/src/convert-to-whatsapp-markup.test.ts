import { renderWhatsAppText } from '@ngb/testing';
import { describe, expect, it } from 'vitest';
import { convertToWhatsAppMarkup, escapeWhatsAppText } from './convert-to-whatsapp-markup';

/** What people see once WhatsApp rendered the converted text (the fake's model of WhatsApp). */
const shown = (markdown: string) => renderWhatsAppText(convertToWhatsAppMarkup(markdown));

describe('convertToWhatsAppMarkup', () => {
  it.each([
    ['**bold** and *italic* and ~~gone~~', '*bold* and _italic_ and ~gone~'],
    ['***both***', '_*both*_'],
    ['**bold _inner_ still**', '*bold _inner_ still*'],
    ['`a*b*c`', '`a*b*c`'],
    ['# Title\n\ntext', '*Title*\n\ntext'],
    ['- one\n- two\n  - nested', '- one\n- two\n  - nested'],
    ['3. three\n4. four', '3. three\n4. four'],
    ['> quoted **words**', '> quoted *words*'],
    ['[the docs](https://example.com/a_b)', 'the docs (https://example.com/a_b)'],
    ['<https://example.com>', 'https://example.com'],
    ['[click](javascript:alert(1))', 'click'],
    ['line one  \nline two', 'line one\nline two'],
    ['---', '───'],
  ])('%j → %j', (markdown, expected) => {
    expect(convertToWhatsAppMarkup(markdown)).toBe(expected);
  });

  it('keeps code blocks as written, markup characters included, in ```', () => {
    const converted = convertToWhatsAppMarkup('```ts\nconst a = b * c; // _x_ ~y~\n```');
    expect(converted).toBe('```\nconst a = b * c; // _x_ ~y~\n```');
    expect(renderWhatsAppText(converted)).toEqual({
      text: '\nconst a = b * c; // _x_ ~y~\n',
      styles: [{ style: 'monospace', text: '\nconst a = b * c; // _x_ ~y~\n' }],
    });
  });

  it('cannot show ``` inside a code block: the backticks are kept apart by zero-width spaces', () => {
    const converted = convertToWhatsAppMarkup('````\na ``` b\n````');
    expect(converted.split('```')).toHaveLength(3);
    expect(converted).toContain('`\u200b`\u200b`');
  });

  it('shows literal markers in the text as written (snake_case, 2*3*4, ~/path)', () => {
    for (const text of ['snake_case_name and _private', 'compute 2 \\* 3 \\* 4', 'look in ~/dir and ~/other', 'a \\`tick\\`']) {
      const result = shown(text);
      expect(result.styles).toEqual([]);
      expect(result.text).toBe(text.replaceAll('\\', ''));
    }
  });

  it('renders tables as monospace rows', () => {
    expect(convertToWhatsAppMarkup('| a | b |\n|---|---|\n| 1 | 2 |')).toBe('```\na | b\n1 | 2\n```');
  });

  it('styles what markdown styles, as WhatsApp would show it', () => {
    expect(shown('**Deploy** finished: _3 files_ changed, ~~0~~ errors')).toEqual({
      text: 'Deploy finished: 3 files changed, 0 errors',
      styles: [
        { style: 'bold', text: 'Deploy' },
        { style: 'italic', text: '3 files' },
        { style: 'strike', text: '0' },
      ],
    });
  });
});

describe('escapeWhatsAppText', () => {
  it('neutralizes every marker with invisible word joiners and changes nothing else', () => {
    const text = '*bold?* _no_ ~no~ ```no``` `no` \\ <b>&amp;';
    const escaped = escapeWhatsAppText(text);
    expect(escaped.replaceAll('\u2060', '')).toBe(text);
    expect(renderWhatsAppText(escaped)).toEqual({ text, styles: [] });
  });
});
