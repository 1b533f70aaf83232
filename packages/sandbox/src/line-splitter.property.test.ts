import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLineSplitter } from './line-splitter';

const seed = 16_4004;

type Event = { line: string } | { oversized: true };

/** What the whole stream holds, read at once: the reference the chunked splitter must agree with. */
function readWhole(bytes: Buffer, maxLineBytes: number): Event[] {
  const events: Event[] = [];
  let start = 0;
  for (let newline = bytes.indexOf(10); newline !== -1; newline = bytes.indexOf(10, start)) {
    events.push(lineEvent(bytes.subarray(start, newline), maxLineBytes));
    start = newline + 1;
  }
  if (start < bytes.length) events.push(lineEvent(bytes.subarray(start), maxLineBytes));
  return events;
}

function lineEvent(line: Buffer, maxLineBytes: number): Event {
  if (line.length > maxLineBytes) return { oversized: true };
  const text = line.toString('utf8');
  return { line: text.endsWith('\r') ? text.slice(0, -1) : text };
}

function readChunked(bytes: Buffer, cuts: readonly number[], maxLineBytes: number): Event[] {
  const events: Event[] = [];
  const splitter = createLineSplitter(
    maxLineBytes,
    (line) => events.push({ line }),
    () => events.push({ oversized: true }),
  );
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const point of [...points, bytes.length]) {
    splitter.push(bytes.subarray(from, point));
    from = point;
  }
  splitter.end();
  return events;
}

// Bytes rich in newlines, carriage returns and multi-byte UTF-8 (cut anywhere, even inside a character).
const stream = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 12 }).map((bytes) => Buffer.from(bytes)),
      fc.constantFrom('\n', '\r\n', '\r', '😀', 'é', '{"type":"hello"}\n', '\n\n').map((text) => Buffer.from(text)),
    ),
    { maxLength: 40 },
  )
  .map((parts) => Buffer.concat(parts));

describe('createLineSplitter (property)', () => {
  it('gives the same lines and refusals however the bytes are cut', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 30 }), fc.integer({ min: 1, max: 24 }), (bytes, cuts, maxLineBytes) => {
        expect(readChunked(bytes, cuts, maxLineBytes)).toEqual(readWhole(bytes, maxLineBytes));
      }),
      { seed, numRuns: 500 },
    );
  });
});
