export { type OpenAIProviderOptions, openAIProviderOptionsSchema } from './openai-options';
export { openAIPrices } from './openai-prices';
export { createOpenAIProvider } from './openai-provider';
