import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame, type HostFrame, parseHostFrame, parseSandboxFrame, type SandboxFrame, sandboxErrorCodes } from './protocol';

const seed = 16_4005;

const id = fc.string({ minLength: 1, maxLength: 128 });
const json = fc.jsonValue({ maxDepth: 3 });

const hostFrame: fc.Arbitrary<HostFrame> = fc.oneof(
  fc.record(
    {
      type: fc.constant('request' as const),
      id,
      tool: fc.string({ minLength: 1, maxLength: 64 }),
      input: json,
      timeoutMs: fc.integer({ min: 1, max: 24 * 60 * 60 * 1000 }),
      progress: fc.boolean(),
    },
    { requiredKeys: ['type', 'id', 'tool', 'input'] },
  ),
  fc.record({ type: fc.constant('cancel' as const), id }),
  fc.record({ type: fc.constant('list-tools' as const), id }),
);

const sandboxFrame: fc.Arbitrary<SandboxFrame> = fc.oneof(
  fc.record({
    type: fc.constant('response' as const),
    id: fc.option(fc.string(), { nil: null }),
    ok: fc.constant(true as const),
    output: json,
  }),
  fc.record({
    type: fc.constant('response' as const),
    id: fc.option(fc.string(), { nil: null }),
    ok: fc.constant(false as const),
    error: fc.record({ code: fc.constantFrom(...sandboxErrorCodes), message: fc.string() }),
  }),
  fc.record({
    type: fc.constant('progress' as const),
    id: fc.string(),
    stream: fc.constantFrom('stdout' as const, 'stderr' as const),
    text: fc.string(),
  }),
);

/** JSON objects shaped like frames but with fields missing, of the wrong type or unknown. */
const forged = fc.dictionary(
  fc.constantFrom(
    'type',
    'id',
    'tool',
    'input',
    'timeoutMs',
    'progress',
    'ok',
    'output',
    'error',
    'stream',
    'text',
    '__proto__',
    'constructor',
    'extra',
  ),
  fc.oneof(
    fc.constantFrom(
      'request',
      'cancel',
      'list-tools',
      'response',
      'progress',
      'hello',
      'stdout',
      0,
      -1,
      1e300,
      true,
      null,
      [],
      {},
    ),
    fc.string({ maxLength: 300 }),
    json,
  ),
  { maxKeys: 6 },
);

describe('sandbox protocol (property)', () => {
  it('reads back every frame it writes, as one line', () => {
    fc.assert(
      fc.property(hostFrame, sandboxFrame, (host, sandbox) => {
        for (const [frame, parse] of [
          [host, parseHostFrame],
          [sandbox, parseSandboxFrame],
        ] as const) {
          const line = encodeFrame(frame);
          expect(line.indexOf('\n')).toBe(line.length - 1);
          const parsed = parse(line.slice(0, -1));
          expect(parsed).toEqual({ ok: true, frame: JSON.parse(line) });
        }
      }),
      { seed, numRuns: 300 },
    );
  });

  it('refuses forged frames and any other text cleanly, naming at most a bounded id', () => {
    const line = fc.oneof(
      forged.map((value) => JSON.stringify(value)),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.nat(20_000).map((depth) => `{"type":"request","id":"x","tool":"t","input":${'['.repeat(depth)}${']'.repeat(depth)}}`),
    );
    fc.assert(
      fc.property(line, (text) => {
        for (const parse of [parseHostFrame, parseSandboxFrame]) {
          const parsed = parse(text);
          if (parsed.ok) {
            // Whatever passes is a frame of a known type with the fields that type needs.
            expect(['request', 'cancel', 'list-tools', 'hello', 'response', 'progress']).toContain(parsed.frame.type);
            continue;
          }
          expect(typeof parsed.message).toBe('string');
          if (parsed.id !== null) expect(parsed.id.length).toBeLessThanOrEqual(128);
        }
      }),
      { seed, numRuns: 400 },
    );
  });
});
