import { describe, expect, it } from 'vitest';
import { convertToFeishuPost, escapeFeishuText, feishuPostText } from './convert-to-feishu-post';

const lines = (markdown: string) => convertToFeishuPost(markdown).zh_cn.content;

describe('convertToFeishuPost', () => {
  it('nested emphasis keeps both styles; strike-through is lineThrough', () => {
    expect(lines('**bold _both_** ~~gone~~')).toEqual([
      [
        { tag: 'text', text: 'bold ', style: ['bold'] },
        { tag: 'text', text: 'both', style: ['bold', 'italic'] },
        { tag: 'text', text: ' ' },
        { tag: 'text', text: 'gone', style: ['lineThrough'] },
      ],
    ]);
  });

  it('code blocks keep markup characters and their language; inline code stays literal', () => {
    expect(lines('```ts\nconst a = **b** < c && [x](y);\n```\nuse `*star*` here')).toEqual([
      [{ tag: 'code_block', language: 'ts', text: 'const a = **b** < c && [x](y);' }],
      [
        { tag: 'text', text: 'use ' },
        { tag: 'text', text: '*star*' },
        { tag: 'text', text: ' here' },
      ],
    ]);
  });

  it('http links become a elements; other schemes stay text', () => {
    expect(lines('[site](https://example.com/a?b=1&c=2) and [bad](javascript:alert(1))')).toEqual([
      [
        { tag: 'a', text: 'site', href: 'https://example.com/a?b=1&c=2' },
        { tag: 'text', text: ' and ' },
        { tag: 'text', text: 'bad' },
      ],
    ]);
  });

  it('headings are bold lines, lists keep their markers, quotes their >', () => {
    expect(feishuPostText(convertToFeishuPost('# Title\n\n- one\n- two\n\n3. three\n4. four\n\n> quoted'))).toBe(
      'Title\n• one\n• two\n3. three\n4. four\n> quoted',
    );
    expect(lines('# Title')[0]).toEqual([{ tag: 'text', text: 'Title', style: ['bold'] }]);
  });

  it('escaped characters, entities and html stay as typed', () => {
    expect(feishuPostText(convertToFeishuPost('a \\*not bold\\* & <b>tag</b> 1 < 2'))).toBe('a *not bold* & <b>tag</b> 1 < 2');
  });

  it('a hard line break starts a new paragraph; a rule is hr', () => {
    expect(lines('one  \ntwo\n\n---\n\nend')).toEqual([
      [{ tag: 'text', text: 'one' }],
      [{ tag: 'text', text: 'two' }],
      [{ tag: 'hr' }],
      [{ tag: 'text', text: 'end' }],
    ]);
  });
});

describe('escapeFeishuText', () => {
  it('keeps an at tag from being read, and leaves everything else as written', () => {
    expect(escapeFeishuText('<at user_id="all">everyone</at> & <b>')).toBe('<\u2060at user_id="all">everyone<\u2060/at> & <b>');
  });
});
