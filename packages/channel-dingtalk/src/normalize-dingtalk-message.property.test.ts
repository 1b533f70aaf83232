import { readdirSync, readFileSync } from 'node:fs';
import { garblePayload, inboundProblems } from '@ngb/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeDingTalkMessage } from './normalize-dingtalk-message';

const seed = 16_4106;
const folder = new URL('./__fixtures__/', import.meta.url);
const fixtures = readdirSync(folder)
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(new URL(name, folder), 'utf8')) as unknown);

describe('normalizeDingTalkMessage (property)', () => {
  it('turns any garbled fixture into a well-formed message and route or nothing, never a throw', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), fc.array(fc.nat(), { maxLength: 15 }), (fixture, choices) => {
        const normalized = normalizeDingTalkMessage(garblePayload(fixture, choices), () => 1_700_000_000_000);
        if (normalized !== undefined) {
          expect(inboundProblems(normalized.message)).toEqual([]);
          expect(normalized.route).toBeTypeOf('object');
        }
      }),
      { seed, numRuns: 400 },
    );
  });
});
