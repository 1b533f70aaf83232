import { describeLlmProviderContract } from '@ngb/plugin-sdk/testing/contracts';
import { createFakeLlmServer } from '@ngb/testing';
import { createOpenAIProvider } from './openai-provider';

describeLlmProviderContract('openai', async () => {
  const server = await createFakeLlmServer({ apiKey: 'test-key' });
  const provider = createOpenAIProvider({
    apiKey: 'test-key',
    baseURL: `${server.url}/v1`,
    model: 'fake-model',
    timeoutMs: 1_000,
    // The contract covers a provider used alone, which opts in to its own retries.
    maxRetries: 2,
    retryDelayMs: 10,
  });
  return { provider, script: server.script, requests: server.requests, close: server.close };
});
