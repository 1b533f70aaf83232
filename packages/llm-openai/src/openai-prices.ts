import type { ModelPriceTable } from '@ngb/plugin-sdk';

/**
 * What OpenAI charges for its current chat models, in US dollars per million tokens (standard
 * processing, prompts up to 272K input tokens), from developers.openai.com/api/docs/pricing and the
 * model pages, checked 2026-12-01. A request above 272K input tokens is billed at twice the input and
 * cache rates and 1.5 times the output rate, which this table does not model. `gpt-4.1-mini`, the
 * previous default, is deprecated and shuts down on 2027-01-14. Dated snapshots
 * (`gpt-4.1-mini-2025-04-14`) are priced by their base id. Servers reached through `baseURL`
 * (Ollama, vLLM, ...) serve other ids, which stay unpriced unless the app's config prices them.
 */
export const openAIPrices: ModelPriceTable = {
  'gpt-6.1-sol': { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.1 },
  'gpt-6.1-terra': { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.05 },
  'gpt-6-sol': { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.2 },
  'gpt-6-luna': { input: 0.1, output: 0.5, cacheWrite: 0.125, cacheRead: 0.01 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, cacheRead: 0.1 },
};
