import { readdirSync, readFileSync } from 'node:fs';
import { garblePayload, inboundProblems } from '@ngb/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeFeishuMessage, normalizeFeishuRecall } from './normalize-feishu-event';

const seed = 16_4103;
const folder = new URL('./__fixtures__/', import.meta.url);
// The fixtures are whole envelopes; the normalizers read their `event`.
const events = readdirSync(folder)
  .filter((name) => name.endsWith('.json'))
  .map((name) => (JSON.parse(readFileSync(new URL(name, folder), 'utf8')) as { event?: unknown }).event);

describe('normalizeFeishuMessage and normalizeFeishuRecall (property)', () => {
  it('turn any garbled fixture into a well-formed message or nothing, never a throw', () => {
    fc.assert(
      fc.property(fc.constantFrom(...events), fc.array(fc.nat(), { maxLength: 15 }), (event, choices) => {
        const garbled = garblePayload(event, choices);
        const message = normalizeFeishuMessage(garbled, { botOpenId: 'ou_bot', now: 1_700_000_000_000 });
        if (message !== undefined) expect(inboundProblems(message)).toEqual([]);
        const deletion = normalizeFeishuRecall(garbled, 1_700_000_000_000);
        if (deletion !== undefined) expect(inboundProblems(deletion)).toEqual([]);
      }),
      { seed, numRuns: 400 },
    );
  });
});
