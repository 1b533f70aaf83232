import { SandboxError } from '@ngb/plugin-sdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFrameDemultiplexer } from './engine-stream-frames';

function frame(streamType: number, payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const header = Buffer.alloc(8);
  header[0] = streamType;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

/** Feeds the chunks, then the end; returns what reached each output, or the error thrown. */
function run(chunks: Buffer[], maxFrameBytes?: number): { stdout: string; stderr: string; error?: unknown } {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const demultiplexer = createFrameDemultiplexer(
    { stdout: (chunk) => stdout.push(Buffer.from(chunk)), stderr: (chunk) => stderr.push(Buffer.from(chunk)) },
    maxFrameBytes,
  );
  let error: unknown;
  try {
    for (const chunk of chunks) demultiplexer.push(chunk);
    demultiplexer.end();
  } catch (thrown) {
    error = thrown;
  }
  return { stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString(), error };
}

function splitAt(bytes: Buffer, points: number[]): Buffer[] {
  const sorted = [...new Set(points)].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let start = 0;
  for (const point of sorted) {
    parts.push(bytes.subarray(start, point));
    start = point;
  }
  parts.push(bytes.subarray(start));
  return parts;
}

const stream = Buffer.concat([
  frame(1, '{"type":"hello"}\n'),
  frame(2, 'warming up\n'),
  frame(1, ''),
  frame(0, 'echoed stdin '),
  frame(1, Buffer.from('ünïcode\n')),
  frame(2, 'done\n'),
]);
const expected = { stdout: '{"type":"hello"}\nechoed stdin ünïcode\n', stderr: 'warming up\ndone\n' };

describe('createFrameDemultiplexer', () => {
  it('gives each stream its bytes whatever the split: at every byte boundary, and byte by byte', () => {
    expect(run([stream])).toEqual(expected);
    for (let point = 0; point <= stream.length; point += 1) {
      expect(run(splitAt(stream, [point])), `split at ${point}`).toEqual(expected);
    }
    expect(run([...stream].map((byte) => Buffer.from([byte])))).toEqual(expected);
  });

  it('gives each stream its bytes for any frames split anywhere', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(0, 1, 2), fc.uint8Array({ maxLength: 40 })), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (frames, points) => {
          const bytes = Buffer.concat(frames.map(([type, payload]) => frame(type, Buffer.from(payload))));
          const pick = (types: number[]) =>
            Buffer.concat(frames.filter(([type]) => types.includes(type)).map(([, payload]) => Buffer.from(payload))).toString();
          const result = run(
            splitAt(
              bytes,
              points.map((point) => point % (bytes.length + 1)),
            ),
          );
          expect(result).toEqual({ stdout: pick([0, 1]), stderr: pick([2]) });
        },
      ),
    );
  });

  it('refuses a frame announced past the cap, wherever the header is split, before reading its payload', () => {
    const oversized = Buffer.concat([frame(1, 'fine\n'), frame(1, Buffer.alloc(65)), frame(1, 'never\n')]);
    for (let point = 0; point <= oversized.length; point += 1) {
      const result = run(splitAt(oversized, [point]), 64);
      expect(SandboxError.isInstance(result.error) && result.error.reason).toBe('protocol');
      expect((result.error as Error).message).toMatch(/announced a frame of 65 bytes, more than the 64 accepted/);
      expect(result.stdout).toBe('fine\n');
    }
    // The default cap: a header claiming 4 GiB is garbage.
    const huge = Buffer.from([1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
    expect((run([huge]).error as Error).message).toMatch(/announced a frame of 4294967295 bytes, more than the 1048576 accepted/);
  });

  it.each([
    ['an unknown stream type', Buffer.from([7, 0, 0, 0, 0, 0, 0, 1, 65])],
    ['non-zero padding', Buffer.from([1, 0, 1, 0, 0, 0, 0, 1, 65])],
    ['text where a header belongs (a TTY stream)', Buffer.from('hello world\n')],
  ])('refuses a garbled header (%s) and reads nothing after it', (_case, garbage) => {
    const bytes = Buffer.concat([frame(1, 'before\n'), garbage, frame(1, 'after\n')]);
    for (let point = 0; point <= bytes.length; point += 1) {
      const result = run(splitAt(bytes, [point]));
      expect((result.error as Error).message, `split at ${point}`).toMatch(
        /attach stream is garbled: a frame header of [0-9a-f]{16}/,
      );
      expect(result.stdout).toBe('before\n');
    }
  });

  it('keeps refusing once it refused', () => {
    const demultiplexer = createFrameDemultiplexer({ stdout: () => {}, stderr: () => {} });
    expect(() => demultiplexer.push(Buffer.from([9, 0, 0, 0, 0, 0, 0, 0]))).toThrow(/garbled/);
    expect(() => demultiplexer.push(frame(1, 'later'))).toThrow(/garbled/);
  });

  it("turns the engine's error frame into an error carrying its message", () => {
    const bytes = Buffer.concat([frame(1, 'out\n'), frame(3, 'container is restarting\n')]);
    for (let point = 0; point <= bytes.length; point += 1) {
      const result = run(splitAt(bytes, [point]));
      expect((result.error as Error).message).toMatch(/carried an error from the engine: container is restarting$/);
      expect(result.stdout).toBe('out\n');
    }
    expect((run([frame(3, '')]).error as Error).message).toMatch(/\(no message\)/);
  });

  it('says when the stream ends within a frame, and not at a frame boundary', () => {
    const bytes = frame(1, 'twelve bytes');
    for (let point = 1; point < bytes.length; point += 1) {
      const result = run([bytes.subarray(0, point)]);
      expect((result.error as Error).message, `cut at ${point}`).toMatch(/ended within a frame/);
    }
    expect(run([]).error).toBeUndefined();
    expect(run([bytes]).error).toBeUndefined();
  });
});
