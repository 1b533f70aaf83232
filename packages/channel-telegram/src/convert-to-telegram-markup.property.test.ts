import { isSubsequence, markdownSample, parseMarkdownV2, wordsOf } from '@ngb/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertToTelegramMarkup } from './convert-to-telegram-markup';

const seed = 16_4301;

describe('convert-to-telegram-markup (property)', () => {
  it('keeps every visible word of the markdown, in order', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 60 }), (choices) => {
        const sample = markdownSample(choices);
        const shown = wordsOf(convertToTelegramMarkup(sample.markdown));
        expect(isSubsequence(sample.words, shown), JSON.stringify({ markdown: sample.markdown, shown })).toBe(true);
      }),
      { seed, numRuns: 150 },
    );
  });

  // Telegram refuses the whole message ("can't parse entities") when one reserved character is left
  // unescaped or an entity does not close; the fake's parser reads MarkdownV2 as strictly as the Bot API.
  // Block structure models write, nested: quotes in quotes, quotes and code in list items.
  const nestedBlocks = fc
    .array(
      fc.constantFrom(
        '> ',
        '> > ',
        '- ',
        '- > ',
        '1. ',
        '\n',
        '```\n',
        'word ',
        '**',
        '_',
        '`',
        '[a](https://x.io)',
        '# ',
        '<',
        '&',
        '|',
      ),
      {
        maxLength: 30,
      },
    )
    .map((pieces) => pieces.join(''));
  const reservedText = fc.string({
    unit: fc.constantFrom(...'_*[]()~`>#+-=|{}.!\\ a1\n'.split('')),
    maxLength: 40,
  });

  it('writes MarkdownV2 Telegram accepts: every reserved character escaped, every entity closed', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(fc.nat(), { minLength: 1, maxLength: 60 }).map((choices) => markdownSample(choices).markdown),
          reservedText,
          nestedBlocks,
        ),
        (markdown) => {
          const converted = convertToTelegramMarkup(markdown);
          const parsed = parseMarkdownV2(converted);
          expect(parsed, JSON.stringify({ markdown, converted })).toMatchObject({ ok: true });
        },
      ),
      { seed, numRuns: 300 },
    );
  });
});
