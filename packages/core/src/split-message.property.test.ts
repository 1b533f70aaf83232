import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitMessage } from './split-message';

const seed = 16_4001;

// Text rich in the separators the splitter prefers, in surrogate pairs and in multi-byte characters.
const piece = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(' ', '  ', '\n', '\n\n', '\n \n', '\t', '\r\n', '😀', '𝄞', 'é', '中文', '\u{10FFFF}'),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const text = fc.array(piece, { maxLength: 60 }).map((pieces) => pieces.join(''));

function utf8Bytes(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

function isLoneHighSurrogateAtEnd(chunk: string): boolean {
  const code = chunk.charCodeAt(chunk.length - 1);
  return code >= 0xd800 && code <= 0xdbff;
}

describe('splitMessage (property)', () => {
  it('gives non-empty chunks within the unit limit whose join is the input, never ending inside a pair', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 2, max: 80 }), (input, limit) => {
        const chunks = splitMessage(input, limit);
        expect(chunks.join('')).toBe(input);
        for (const chunk of chunks) {
          expect(chunk.length).toBeGreaterThan(0);
          expect(chunk.length).toBeLessThanOrEqual(limit);
        }
        // A pair is cut only when the input itself holds a lone high surrogate at that place.
        chunks.slice(0, -1).forEach((chunk, index) => {
          if (isLoneHighSurrogateAtEnd(chunk)) {
            const next = chunks[index + 1] ?? '';
            const low = next.charCodeAt(0);
            expect(low >= 0xdc00 && low <= 0xdfff).toBe(false);
          }
        });
      }),
      { seed, numRuns: 300 },
    );
  });

  it('keeps every chunk within the byte limit too when one is given', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 2, max: 80 }), fc.integer({ min: 4, max: 120 }), (input, limit, maxBytes) => {
        const chunks = splitMessage(input, limit, maxBytes);
        expect(chunks.join('')).toBe(input);
        for (const chunk of chunks) {
          expect(chunk.length).toBeGreaterThan(0);
          expect(chunk.length).toBeLessThanOrEqual(limit);
          expect(utf8Bytes(chunk)).toBeLessThanOrEqual(maxBytes);
        }
      }),
      { seed, numRuns: 300 },
    );
  });

  it('refuses limits it cannot honour with a RangeError, never another error', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.oneof(fc.integer(), fc.double()),
        fc.option(fc.oneof(fc.integer(), fc.double()), { nil: undefined }),
        (input, limit, maxBytes) => {
          try {
            splitMessage(input, limit, maxBytes);
          } catch (error) {
            expect(error).toBeInstanceOf(RangeError);
          }
        },
      ),
      { seed, numRuns: 300 },
    );
  });
});
