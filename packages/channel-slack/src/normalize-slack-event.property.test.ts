import { readdirSync, readFileSync } from 'node:fs';
import { garblePayload, inboundProblems } from '@ngb/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeSlackEvent, slackEventKey, userIdsOf } from './normalize-slack-event';

const seed = 16_4105;
const folder = new URL('./__fixtures__/', import.meta.url);
const fixtures = readdirSync(folder)
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(new URL(name, folder), 'utf8')) as unknown);

describe('normalizeSlackEvent (property)', () => {
  it('turns any garbled fixture into a well-formed message or a reason to ignore it, never a throw', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...fixtures),
        fc.array(fc.nat(), { maxLength: 15 }),
        fc.boolean(),
        (fixture, choices, allowBots) => {
          const event = garblePayload(fixture, choices);
          const names = new Map(userIdsOf(event).map((id) => [id, `name of ${id}`]));
          slackEventKey(event);
          const outcome = normalizeSlackEvent(event, { channel: 'slack', selfId: 'U0LAN0Z89', allowBots, names });
          if ('inbound' in outcome) expect(inboundProblems(outcome.inbound)).toEqual([]);
          else expect(typeof outcome.ignored).toBe('string');
        },
      ),
      { seed, numRuns: 400 },
    );
  });
});
