import { isSubsequence, markdownSample, wordsOf } from '@ngb/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertToDingTalkMarkdown } from './convert-to-dingtalk-markdown';

const seed = 16_4307;

describe('convert-to-dingtalk-markdown (property)', () => {
  it('keeps every visible word of the markdown, in order', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 60 }), (choices) => {
        const sample = markdownSample(choices);
        const shown = wordsOf(convertToDingTalkMarkdown(sample.markdown));
        expect(isSubsequence(sample.words, shown), JSON.stringify({ markdown: sample.markdown, shown })).toBe(true);
      }),
      { seed, numRuns: 150 },
    );
  });
});
