import type { ModelPriceTable } from '@ngb/plugin-sdk';

/**
 * What Anthropic charges for its current models, in US dollars per million tokens (Claude API,
 * standard tier), from platform.claude.com/docs/en/about-claude/pricing, checked 2026-12-01.
 * `cacheWrite` is the 5-minute cache write, the only one this provider asks for (a 1-hour write costs
 * twice the input rate). Claude Haiku 5.5 is left out: its price depends on each request's prompt
 * length (above 100K tokens every token of the request costs five times as much), which one rate per
 * model cannot say; give it a price in the app's config to have it counted. Dated snapshots
 * (`claude-haiku-4-5-20251001`) are priced by their base id.
 */
export const anthropicPrices: ModelPriceTable = {
  'claude-fable-5-1': { input: 10, output: 50, cacheWrite: 12.5, cacheRead: 0.25 },
  'claude-opus-5-5': { input: 4, output: 20, cacheWrite: 5, cacheRead: 0.2 },
  'claude-opus-5': { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
  'claude-sonnet-5-5': { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.1 },
  'claude-sonnet-5': { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.2 },
  'claude-haiku-4-5': { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 },
};
