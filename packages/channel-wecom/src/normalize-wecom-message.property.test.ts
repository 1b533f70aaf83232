import { readdirSync, readFileSync } from 'node:fs';
import { garblePayload, inboundProblems } from '@ngb/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeWeComMessage, parseWeComXml } from './normalize-wecom-message';

const seed = 16_4108;
const folder = new URL('./__fixtures__/', import.meta.url);
const documents = readdirSync(folder)
  .filter((name) => name.startsWith('message-') || name.startsWith('event-'))
  .map((name) => (JSON.parse(readFileSync(new URL(name, folder), 'utf8')) as { xml: string }).xml);

/** A WeCom document again, from fields that may have been garbled into anything. */
function toXml(fields: unknown): string {
  if (typeof fields !== 'object' || fields === null) return String(fields);
  const body = Object.entries(fields)
    .map(([key, value], index) => {
      const text = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
      return index % 2 === 0 ? `<${key}><![CDATA[${text}]]></${key}>` : `<${key}>${text}</${key}>`;
    })
    .join('');
  return `<xml>${body}</xml>`;
}

// Text-level damage: cut, doubled tags, hostile element names, entities.
const textDamage = fc.array(
  fc.tuple(
    fc.nat(),
    fc.constantFrom(
      '<',
      '>',
      '&',
      ']]>',
      '<![CDATA[',
      '</xml>',
      '<xml>',
      '<__proto__>x</__proto__>',
      '<constructor>1</constructor>',
      '&lt;',
      '&#0;',
      '\u0000',
      '😀',
    ),
  ),
  { maxLength: 4 },
);

describe('parseWeComXml and normalizeWeComMessage (property)', () => {
  it('turn any garbled callback into a well-formed message or nothing, never a throw', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...documents),
        fc.array(fc.nat(), { maxLength: 12 }),
        textDamage,
        (document, choices, damage) => {
          let text = toXml(garblePayload(parseWeComXml(document), choices));
          for (const [at, insert] of damage) {
            const position = at % (text.length + 1);
            text = `${text.slice(0, position)}${insert}${text.slice(position)}`;
          }
          const fields = parseWeComXml(text);
          if (fields === undefined) return;
          expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
          for (const value of Object.values(fields)) expect(typeof value).toBe('string');
          const message = normalizeWeComMessage(fields, 'wecom');
          if (message !== undefined) expect(inboundProblems(message)).toEqual([]);
        },
      ),
      { seed, numRuns: 100 },
    );
  });
});
