export { type AnthropicProviderOptions, anthropicProviderOptionsSchema } from './anthropic-options';
export { createAnthropicProvider } from './anthropic-provider';
