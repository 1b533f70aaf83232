import { describe, expect, it } from 'vitest';
import { mcpResultText } from './mcp-content';

describe('mcpResultText', () => {
  it('joins text parts and describes images, audio and resources without their bytes', () => {
    const png = Buffer.alloc(3000, 7).toString('base64');
    const text = mcpResultText(
      {
        content: [
          { type: 'text', text: 'sum: 5' },
          { type: 'image', data: png, mimeType: 'image/png' },
          { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' },
          { type: 'resource', resource: { uri: 'file:///a.txt', text: 'inside a' } },
          { type: 'resource', resource: { uri: 'file:///b.bin', blob: 'AAAA', mimeType: 'application/octet-stream' } },
          { type: 'resource_link', uri: 'file:///c', name: 'c' },
          { type: 'hologram' },
          'junk',
        ],
      },
      100 * 1024,
    );
    expect(text).toBe(
      [
        'sum: 5',
        '[image: image/png, 3000 bytes; not shown]',
        '[audio: audio/wav, 3 bytes; not shown]',
        '[resource file:///a.txt]',
        'inside a',
        '[resource file:///b.bin: application/octet-stream, 3 bytes; binary, not shown]',
        '[resource link: file:///c (c)]',
        '[hologram content; not shown]',
        '[content that is not an object; left out]',
      ].join('\n'),
    );
    expect(text).not.toContain(png.slice(0, 40));
  });

  it('caps the text like other tools, keeping its start and end', () => {
    const text = mcpResultText({ content: [{ type: 'text', text: `start${'x'.repeat(5 * 1024 * 1024)}end` }] }, 1024);
    expect(Buffer.byteLength(text)).toBeLessThan(1200);
    expect(text.startsWith('start')).toBe(true);
    expect(text.endsWith('end')).toBe(true);
    expect(text).toContain('[ngb: output truncated: 5242888 bytes in total');
  });

  it('caps many parts as one output', () => {
    const parts = Array.from({ length: 10_000 }, (_, index) => ({ type: 'text', text: `part ${index}` }));
    const text = mcpResultText({ content: parts }, 2048);
    expect(Buffer.byteLength(text)).toBeLessThan(2300);
    expect(text).toMatch(/^part 0\n/);
    expect(text).toMatch(/part 9999$/);
  });

  it('shows structured content when there is no content, and nothing for an empty result', () => {
    expect(mcpResultText({ content: [], structuredContent: { sum: 5 } }, 1024)).toBe('{\n  "sum": 5\n}');
    expect(mcpResultText({}, 1024)).toBe('');
    expect(mcpResultText(null, 1024)).toBe('');
  });
});
