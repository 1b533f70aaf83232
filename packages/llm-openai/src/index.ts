export { type OpenAIProviderOptions, openAIProviderOptionsSchema } from './openai-options';
export { createOpenAIProvider } from './openai-provider';
