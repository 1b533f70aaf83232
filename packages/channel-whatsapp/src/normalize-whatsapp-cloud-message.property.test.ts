import { readdirSync, readFileSync } from 'node:fs';
import { garblePayload, inboundProblems } from '@ngb/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CloudChangeValue, normalizeWhatsAppCloudMessage } from './normalize-whatsapp-cloud-message';

const seed = 16_4107;
const folder = new URL('./__fixtures__/', import.meta.url);
// The webhook hands the normalizer each change's `value` (an object) and each of its messages.
const values = readdirSync(folder)
  .filter((name) => name.startsWith('cloud-') && name.endsWith('.json'))
  .flatMap((name) => {
    const body = JSON.parse(readFileSync(new URL(name, folder), 'utf8')) as { entry: { changes: { value: unknown }[] }[] };
    return body.entry.flatMap((entry) => entry.changes.map((change) => change.value));
  });

describe('normalizeWhatsAppCloudMessage (property)', () => {
  it('turns any garbled change into well-formed messages or nothing, never a throw', () => {
    fc.assert(
      fc.property(fc.constantFrom(...values), fc.array(fc.nat(), { maxLength: 15 }), (value, choices) => {
        const garbled = garblePayload(value, choices);
        if (typeof garbled !== 'object' || garbled === null) return;
        const change = garbled as CloudChangeValue;
        for (const message of Array.isArray(change.messages) ? change.messages : []) {
          const normalized = normalizeWhatsAppCloudMessage(change, message, {
            numbers: new Set(['15550783881', '106540352242922']),
            selfId: '15550783881',
          });
          if (normalized !== undefined) expect(inboundProblems(normalized)).toEqual([]);
        }
      }),
      { seed, numRuns: 400 },
    );
  });
});
