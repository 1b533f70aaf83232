import { isSubsequence, markdownSample, wordsOf } from '@ngb/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertToSlackMarkup, unescapeSlackText } from './convert-to-slack-markup';

const seed = 16_4302;

describe('convert-to-slack-markup (property)', () => {
  it('keeps every visible word of the markdown, in order', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 60 }), (choices) => {
        const sample = markdownSample(choices);
        const shown = wordsOf(unescapeSlackText(convertToSlackMarkup(sample.markdown)));
        expect(isSubsequence(sample.words, shown), JSON.stringify({ markdown: sample.markdown, shown })).toBe(true);
      }),
      { seed, numRuns: 150 },
    );
  });

  // Slack reads `<` as the start of a link or mention (`<!channel>` pings everyone) and `&` as an
  // entity: outside the `<url|label>` links and the `> ` quotes the converter writes itself, none may stay raw.
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
  const hostileText = fc.string({
    unit: fc.constantFrom(...'<>&|!@#*_~`[]()a '.split(''), '<!channel>', '<@U1>', '&amp;', 'https://x.io', '\n'),
    maxLength: 30,
  });

  it('leaves no raw <, > or & outside the links it writes itself', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(fc.nat(), { minLength: 1, maxLength: 60 }).map((choices) => markdownSample(choices).markdown),
          hostileText,
          nestedBlocks,
        ),
        (markdown) => {
          const converted = convertToSlackMarkup(markdown);
          const outsideLinks = converted
            .replace(/<(?:https?:|mailto:)[^<>|\s]*(?:\|[^<>]*)?>/gi, '')
            .replace(/&(?:amp|lt|gt);/g, '')
            .replace(/^> /gm, '');
          expect(outsideLinks, JSON.stringify({ markdown, converted })).not.toMatch(/[<>&]/);
        },
      ),
      { seed, numRuns: 300 },
    );
  });
});
