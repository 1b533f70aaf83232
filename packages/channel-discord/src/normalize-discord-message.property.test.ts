import { readdirSync, readFileSync } from 'node:fs';
import { garblePayload, inboundProblems } from '@ngb/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeDiscordDispatch } from './normalize-discord-message';

const seed = 16_4102;
const folder = new URL('./__fixtures__/', import.meta.url);
const fixtures = readdirSync(folder)
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(new URL(name, folder), 'utf8')) as unknown);

describe('normalizeDiscordDispatch (property)', () => {
  it('turns any garbled fixture into a well-formed message or nothing, never a throw', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...fixtures),
        fc.constantFrom('MESSAGE_CREATE', 'MESSAGE_UPDATE', 'MESSAGE_DELETE', 'TYPING_START'),
        fc.array(fc.nat(), { maxLength: 15 }),
        (fixture, type, choices) => {
          const message = normalizeDiscordDispatch(type, garblePayload(fixture, choices), {
            selfId: '900000000000000001',
            channel: () => ({ name: 'general' }),
            author: () => undefined,
            now: () => 1_700_000_000_000,
          });
          if (message !== undefined) expect(inboundProblems(message)).toEqual([]);
        },
      ),
      { seed, numRuns: 400 },
    );
  });
});
