import { readdirSync, readFileSync } from 'node:fs';
import { garblePayload, inboundProblems } from '@ngb/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeTelegramUpdate } from './normalize-telegram-update';

const seed = 16_4101;
const folder = new URL('./__fixtures__/', import.meta.url);
const fixtures = readdirSync(folder)
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(new URL(name, folder), 'utf8')) as unknown);

describe('normalizeTelegramUpdate (property)', () => {
  it('turns any garbled fixture into a well-formed message or nothing, never a throw', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...fixtures),
        fc.array(fc.nat(), { maxLength: 15 }),
        fc.boolean(),
        (fixture, choices, allowBots) => {
          const message = normalizeTelegramUpdate(garblePayload(fixture, choices), {
            channel: 'telegram',
            self: { id: 4242, username: 'ngb_test_bot' },
            allowBots,
            receivedAt: 1_700_000_000_000,
          });
          if (message !== undefined) expect(inboundProblems(message)).toEqual([]);
        },
      ),
      { seed, numRuns: 400 },
    );
  });
});
