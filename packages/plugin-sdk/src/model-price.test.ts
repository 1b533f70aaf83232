import { describe, expect, it } from 'vitest';
import { costOfUsage, createPriceLookup } from './model-price';

const sonnet = { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.1 };

describe('createPriceLookup', () => {
  it('finds a dated snapshot by its base id, in both providers’ date styles', () => {
    const lookup = createPriceLookup({ 'claude-sonnet-5-5': sonnet, 'gpt-6.1-terra': { input: 1, output: 5 } });
    expect(lookup('claude-sonnet-5-5')).toBe(sonnet);
    expect(lookup('claude-sonnet-5-5-20261001')).toBe(sonnet);
    expect(lookup('gpt-6.1-terra-2026-10-26')).toEqual({ input: 1, output: 5 });
    expect(lookup('claude-sonnet-5')).toBeUndefined();
    expect(lookup('claude-sonnet-5-5-preview')).toBeUndefined();
    expect(lookup('toString')).toBeUndefined();
  });

  it('lets a later table win, and an exact id win over a base id', () => {
    const override = { input: 9, output: 9 };
    const lookup = createPriceLookup({ 'claude-sonnet-5-5': sonnet, 'claude-sonnet-5-5-20261001': sonnet }, undefined, {
      'claude-sonnet-5-5': override,
    });
    expect(lookup('claude-sonnet-5-5')).toBe(override);
    expect(lookup('claude-sonnet-5-5-20260101')).toBe(override);
    expect(lookup('claude-sonnet-5-5-20261001')).toBe(sonnet);
  });
});

describe('costOfUsage', () => {
  it('prices uncached prompt tokens, cache reads, cache writes and output each at their rate', () => {
    const cost = costOfUsage(sonnet, {
      inputTokens: 1_000_000,
      outputTokens: 100_000,
      cacheReadTokens: 500_000,
      cacheWriteTokens: 200_000,
    });
    expect(cost).toBeCloseTo(0.3 * 2 + 0.5 * 0.1 + 0.2 * 2.5 + 0.1 * 10, 10);
  });

  it('prices cache tokens at the input rate when the price has no cache rates', () => {
    expect(
      costOfUsage({ input: 1, output: 5 }, { inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 400_000 }),
    ).toBeCloseTo(1, 10);
  });
});
