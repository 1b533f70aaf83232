export { type AnthropicProviderOptions, anthropicProviderOptionsSchema } from './anthropic-options';
export { anthropicPrices } from './anthropic-prices';
export { createAnthropicProvider } from './anthropic-provider';
