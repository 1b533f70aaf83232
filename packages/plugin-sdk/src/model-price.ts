import type { LlmUsagePart } from './contracts/llm';

/**
 * What a model costs, in US dollars per million tokens. Each provider package exports a table of
 * these for the models it knows (`anthropicPrices`, `openAIPrices`); apps compose the tables with
 * their own overrides and hand the gateway a {@link PriceLookup}.
 */
export interface ModelPrice {
  /** Prompt tokens neither read from nor written to the provider's cache. */
  input: number;
  /** Generated tokens. */
  output: number;
  /** Prompt tokens written to the cache. @default `input` */
  cacheWrite?: number;
  /** Prompt tokens read from the cache. @default `input` */
  cacheRead?: number;
}

/** Prices by model id. */
export type ModelPriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * The price of a model, by the id the API reported for the call; undefined when it is not known
 * (the cost of that call is then unknown, never zero).
 */
export type PriceLookup = (model: string) => ModelPrice | undefined;

// Anthropic dates its snapshots `-20250929`, OpenAI `-2025-04-14`.
const datedSuffix = /-(?:\d{8}|\d{4}-\d{2}-\d{2})$/;

/**
 * A {@link PriceLookup} over `tables`, a later table winning over an earlier one (pass the provider
 * tables first and the user's overrides last). A model id is looked up as given, then without its
 * date suffix, so `claude-sonnet-4-5-20250929` finds `claude-sonnet-4-5` and `gpt-4.1-mini-2025-04-14`
 * finds `gpt-4.1-mini`.
 */
export function createPriceLookup(...tables: ReadonlyArray<ModelPriceTable | undefined>): PriceLookup {
  const newestFirst = tables.filter((table): table is ModelPriceTable => table !== undefined).reverse();
  const find = (model: string) => {
    for (const table of newestFirst) {
      if (Object.hasOwn(table, model)) return table[model];
    }
    return undefined;
  };
  return (model) => {
    const exact = find(model);
    if (exact !== undefined) return exact;
    const base = model.replace(datedSuffix, '');
    return base === model ? undefined : find(base);
  };
}

/**
 * The cost in US dollars of one model call's usage at `price`: uncached prompt tokens at `input`,
 * cache reads and writes at their own rates (each part of `inputTokens`), generated tokens at `output`.
 */
export function costOfUsage(
  price: ModelPrice,
  usage: Pick<LlmUsagePart, 'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheWriteTokens'>,
): number {
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const uncached = Math.max(0, usage.inputTokens - cacheRead - cacheWrite);
  return (
    (uncached * price.input +
      cacheRead * (price.cacheRead ?? price.input) +
      cacheWrite * (price.cacheWrite ?? price.input) +
      usage.outputTokens * price.output) /
    1_000_000
  );
}
