import { ConfigError } from '@ngb/plugin-sdk';
import { createFakeLlmServer } from '@ngb/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAIProvider } from './openai-provider';

function configError(create: () => unknown): ConfigError {
  try {
    create();
  } catch (error) {
    expect(ConfigError.isInstance(error)).toBe(true);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const savedEnv = { ...process.env };
afterEach(() => {
  process.env = { ...savedEnv };
});

describe('createOpenAIProvider options', () => {
  it('refuses a missing key without baseURL, naming the option and the variables an app reads', () => {
    const error = configError(() => createOpenAIProvider({ model: 'gpt-x' }));
    expect(error.key).toBe('apiKey');
    expect(error.message).toMatch(/^\[@ngb\/llm-openai\] /);
    expect(error.message).toContain('OPENAI_API_KEY');
    expect(error.message).toContain('OPENAI_BASE_URL');
  });

  it('does not take the key or the base URL from the environment', () => {
    process.env.OPENAI_API_KEY = 'sk-from-env';
    process.env.OPENAI_BASE_URL = 'http://127.0.0.1:9/v1';
    expect(configError(() => createOpenAIProvider({ model: 'gpt-x' })).key).toBe('apiKey');
  });

  it.each([
    ['model', { apiKey: 'k', model: '' }],
    ['maxTokensField', { apiKey: 'k', model: 'm', maxTokensField: 'tokens' as 'max_tokens' }],
    ['temperature', { apiKey: 'k', model: 'm', temperature: 3 }],
    ['retryDelayMs', { apiKey: 'k', model: 'm', retryDelayMs: -1 }],
  ])('names the invalid key %s', (key, options) => {
    expect(configError(() => createOpenAIProvider(options)).key).toBe(key);
  });

  it('needs no key with a baseURL, and then sends no Authorization header', async () => {
    const server = await createFakeLlmServer({ script: [{ type: 'reply', text: 'local' }] });
    try {
      const provider = createOpenAIProvider({ baseURL: `${server.url}/v1`, model: 'fake-model' });
      let text = '';
      for await (const part of provider.doStream({ messages: [{ role: 'user', content: 'x' }] })) {
        if (part.type === 'text-delta') text += part.text;
      }
      expect(text).toBe('local');
      expect(server.requests()[0]?.headers.authorization).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('calls api.openai.com with max_completion_tokens when no baseURL is given, whatever OPENAI_BASE_URL says', async () => {
    process.env.OPENAI_BASE_URL = 'http://127.0.0.1:9/v1';
    const calls: Array<{ url: string; body: Record<string, unknown> }> = [];
    const provider = createOpenAIProvider({
      apiKey: 'k',
      model: 'gpt-x',
      maxTokens: 100,
      maxRetries: 0,
      fetch: async (input, init) => {
        calls.push({ url: String(input), body: JSON.parse(String(init?.body)) as Record<string, unknown> });
        return new Response(JSON.stringify({ error: { message: 'offline test', type: 'invalid_request_error' } }), {
          status: 400,
        });
      },
    });
    await expect(async () => {
      for await (const _ of provider.doStream({ messages: [{ role: 'user', content: 'x' }] })) {
        // drain
      }
    }).rejects.toMatchObject({ status: 400, retryable: false });
    expect(calls.map((call) => call.url)).toEqual(['https://api.openai.com/v1/chat/completions']);
    expect(calls[0]?.body).toMatchObject({ max_completion_tokens: 100 });
    expect(calls[0]?.body.max_tokens).toBeUndefined();
  });
});
