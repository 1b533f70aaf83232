import { createPriceLookup, type ModelPriceTable, type PriceLookup } from '@ngb/plugin-sdk';

/**
 * The prices a gateway counts turns with: the tables of the provider packages in use, then the
 * config's `pricing` over them. A model neither prices has an unknown cost.
 * @param providerNames the providers built for this run (`anthropic`, `openai`, `default`, ...)
 */
export async function createModelPrices(
  providerNames: readonly string[],
  overrides: ModelPriceTable | undefined,
): Promise<PriceLookup> {
  // Only the packages already loaded for a provider: importing one costs its SDK's start-up time.
  const tables: ModelPriceTable[] = [];
  if (providerNames.includes('anthropic')) tables.push((await import('@ngb/llm-anthropic')).anthropicPrices);
  if (providerNames.includes('openai')) tables.push((await import('@ngb/llm-openai')).openAIPrices);
  return createPriceLookup(...tables, overrides);
}
