import { readdirSync, readFileSync } from 'node:fs';
import { garblePayload, inboundProblems } from '@ngb/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeQQEvent } from './normalize-qq-event';

const seed = 16_4104;
const folder = new URL('./__fixtures__/', import.meta.url);
const fixtures = readdirSync(folder)
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(new URL(name, folder), 'utf8')) as unknown);

describe('normalizeQQEvent (property)', () => {
  it('turns any garbled event object into a well-formed message or nothing, never a throw', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...fixtures),
        fc.array(fc.nat(), { maxLength: 15 }),
        fc.boolean(),
        (fixture, choices, known) => {
          const garbled = garblePayload(fixture, choices);
          // The connection hands over only JSON objects.
          if (typeof garbled !== 'object' || garbled === null || Array.isArray(garbled)) return;
          const message = normalizeQQEvent(garbled as Record<string, unknown>, {
            selfId: '10000',
            sentByBot: () => known,
            recall: () => (known ? { author: { id: '1', name: 'Ann' }, text: 'earlier' } : undefined),
            now: () => 1_700_000_000_000,
          });
          if (message !== undefined) expect(inboundProblems(message)).toEqual([]);
        },
      ),
      { seed, numRuns: 400 },
    );
  });
});
