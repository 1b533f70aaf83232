import { PassThrough } from 'node:stream';
import { SandboxError } from '@ngb/plugin-sdk';
import { createRecordingLogger } from '@ngb/plugin-sdk/testing';
import {
  createLineSplitter,
  encodeFrame,
  MAX_FRAME_BYTES,
  parseHostFrame,
  type RequestFrame,
  type SandboxFrame,
} from '@ngb/sandbox';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openSandboxChannel } from './sandbox-channel';

const seed = 16_4006;
const oversizedLine = Buffer.concat([Buffer.alloc(MAX_FRAME_BYTES + 1, 0x61), Buffer.from('\n')]);

/** Lines a hostile or broken sandbox might write between its real answers. */
const noise = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }).map((text) => Buffer.from(`${text.replaceAll('\n', ' ')}\n`)),
  fc
    .record({ id: fc.oneof(fc.uuid(), fc.string({ maxLength: 300 }), fc.constant(null)), stdout: fc.string({ maxLength: 20 }) })
    .map(({ id, stdout }) => Buffer.from(encodeFrame({ type: 'response', id, ok: true, output: { stdout, forged: true } }))),
  fc
    .constantFrom('{"type":"response"}\n', '{"type":"progress","id":1}\n', '\r\n', '[]\n', 'null\n')
    .map((text) => Buffer.from(text)),
);

describe('openSandboxChannel (property)', () => {
  it('matches every answer to its call however the stream is cut and whatever is written between', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 1, maxLength: 4 }),
        fc.array(noise, { maxLength: 6 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.infiniteStream(fc.nat()),
        async (outputs, noiseLines, oversized, cuts, order) => {
          const fromSandbox = new PassThrough();
          const toSandbox = new PassThrough();
          const requests: RequestFrame[] = [];
          const host = createLineSplitter(
            MAX_FRAME_BYTES,
            (line) => {
              const parsed = parseHostFrame(line);
              if (parsed.ok && parsed.frame.type === 'request') requests.push(parsed.frame);
            },
            () => {},
          );
          toSandbox.on('data', (chunk: Buffer) => host.push(chunk));
          const channel = openSandboxChannel({
            input: fromSandbox,
            output: toSandbox,
            helloTimeoutMs: 60_000,
            defaultTimeoutMs: 60_000,
            logger: createRecordingLogger(),
            diagnoseEnd: async () => new SandboxError('crashed', 'ended'),
          });
          const calls = outputs.map((_, index) => channel.call(`tool${index}`, { index }));
          await new Promise((resolve) => setImmediate(resolve));
          expect(requests).toHaveLength(outputs.length);
          const hello: SandboxFrame = {
            type: 'hello',
            protocol: 1,
            tools: [],
            pid: 1,
            workspaceRoot: '/w',
            workingDirectory: '/w',
          };
          const answers = requests.map((request) => {
            const index = (request.input as { index: number }).index;
            return Buffer.from(encodeFrame({ type: 'response', id: request.id, ok: true, output: outputs[index] ?? null }));
          });
          // Answers in any order, noise anywhere between them.
          const lines = [Buffer.from(encodeFrame(hello)), ...noiseLines, ...(oversized ? [oversizedLine] : [])];
          const iterator = order[Symbol.iterator]();
          for (const answer of answers) lines.splice((iterator.next().value as number) % (lines.length + 1), 0, answer);
          const bytes = Buffer.concat(lines);
          const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
          let from = 0;
          for (const point of [...points, bytes.length]) {
            fromSandbox.write(bytes.subarray(from, point));
            from = point;
          }
          const results = await Promise.all(calls);
          expect(results.map((result) => result.output)).toEqual(outputs.map((output) => JSON.parse(JSON.stringify(output))));
          expect(channel.usable).toBe(true);
          fromSandbox.end();
          await channel.ended;
        },
      ),
      { seed, numRuns: 12 },
    );
  }, 60_000);
});
