import { describe, expect, it } from 'vitest';
import { escapeCqParameter, escapeCqText, messageSegments, parseCqString } from './onebot-segments';

describe('CQ-code strings', () => {
  it('reads text and codes with their parameters, unescaping both', () => {
    expect(
      parseCqString('hi &#91;x&#93; &amp;[CQ:at,qq=10000][CQ:image,file=a.jpg,url=https://h/x?a=1&amp;b=2&#44;3] end'),
    ).toEqual([
      { type: 'text', data: { text: 'hi [x] &' } },
      { type: 'at', data: { qq: '10000' } },
      { type: 'image', data: { file: 'a.jpg', url: 'https://h/x?a=1&b=2,3' } },
      { type: 'text', data: { text: ' end' } },
    ]);
  });

  it('a bracket that starts no well-formed code stays text', () => {
    expect(parseCqString('[CQ:at,qq=1 and [not code]')).toEqual([{ type: 'text', data: { text: '[CQ:at,qq=1 and [not code]' } }]);
    expect(parseCqString('[CQ:face]')).toEqual([{ type: 'face', data: {} }]);
  });

  it('&amp;#91; is the text "&#91;", not a bracket', () => {
    expect(parseCqString('&amp;#91;')).toEqual([{ type: 'text', data: { text: '&#91;' } }]);
  });

  it('escaping then parsing gives back the text', () => {
    const text = 'a [b] & c, d &#91;';
    expect(parseCqString(escapeCqText(text))).toEqual([{ type: 'text', data: { text } }]);
    expect(parseCqString(`[CQ:x,v=${escapeCqParameter(text)}]`)).toEqual([{ type: 'x', data: { v: text } }]);
  });

  it('segment arrays are taken as they are, malformed items skipped', () => {
    expect(messageSegments([{ type: 'text', data: { text: 'a' } }, null, { data: {} }, { type: 'face' }])).toEqual([
      { type: 'text', data: { text: 'a' } },
      { type: 'face', data: {} },
    ]);
    expect(messageSegments(42)).toEqual([]);
  });
});
