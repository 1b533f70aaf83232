import { describe, expect, it } from 'vitest';
import { escapeXml, formatMessages, formatTimestamp, isValidTimeZone } from './format-messages';

const at = Date.UTC(2026, 10, 21, 23, 5);

describe('escapeXml', () => {
  it.each([
    ['A & B <Co>', 'A &amp; B &lt;Co&gt;'],
    ['<script>alert("x")</script>', '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'],
    ['&amp;', '&amp;amp;'],
    ["it's", 'it&apos;s'],
    ['plain', 'plain'],
  ])('%s', (input, expected) => {
    expect(escapeXml(input)).toBe(expected);
  });
});

describe('formatMessages', () => {
  it('escapes attributes and text, falls back to the sender id, and uses the agent time zone', () => {
    const xml = formatMessages(
      [
        { senderId: 'u1', senderName: 'A & B <Co>', text: '<script>x</script>', timestamp: at },
        { senderId: 'u"2', text: 'hi & bye', timestamp: at, context: true },
      ],
      'Asia/Shanghai',
    );
    expect(xml).toBe(
      [
        '<messages>',
        '<message sender="A &amp; B &lt;Co&gt;" time="2026-11-22 07:05">&lt;script&gt;x&lt;/script&gt;</message>',
        '<message sender="u&quot;2" time="2026-11-22 07:05" context="true">hi &amp; bye</message>',
        '</messages>',
      ].join('\n'),
    );
  });

  it('uses the id when the name is blank', () => {
    expect(formatMessages([{ senderId: 'u9', senderName: '  ', text: 't', timestamp: at }], 'UTC')).toContain('sender="u9"');
  });

  it('formats timestamps per zone and validates zones', () => {
    expect(formatTimestamp(at, 'UTC')).toBe('2026-11-21 23:05');
    expect(formatTimestamp(at, 'America/New_York')).toBe('2026-11-21 18:05');
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});
