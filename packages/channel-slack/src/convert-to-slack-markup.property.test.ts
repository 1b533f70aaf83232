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
});
