import { ConfigError } from '@ngb/plugin-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnthropicProvider } from './anthropic-provider';

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

describe('createAnthropicProvider options', () => {
  it('refuses a missing key, naming the option and the variable an app reads', () => {
    const error = configError(() => createAnthropicProvider({ model: 'claude-x' }));
    expect(error.key).toBe('apiKey');
    expect(error.message).toMatch(/^\[@ngb\/llm-anthropic\] /);
    expect(error.message).toContain('`apiKey`');
    expect(error.message).toContain('ANTHROPIC_API_KEY');
  });

  it('does not take the key from the environment', () => {
    process.env.ANTHROPIC_API_KEY = 'sk-from-env';
    process.env.ANTHROPIC_AUTH_TOKEN = 'token-from-env';
    expect(configError(() => createAnthropicProvider({ model: 'claude-x' })).key).toBe('apiKey');
  });

  it('refuses apiKey together with authToken', () => {
    expect(configError(() => createAnthropicProvider({ model: 'm', apiKey: 'a', authToken: 'b' })).key).toBe('authToken');
  });

  it.each([
    ['model', { apiKey: 'k', model: '' }],
    ['maxRetries', { apiKey: 'k', model: 'm', maxRetries: -1 }],
    ['maxTokens', { apiKey: 'k', model: 'm', maxTokens: 1.5 }],
    ['baseURL', { apiKey: 'k', model: 'm', baseURL: 'not a url' }],
    ['timeoutMs', { apiKey: 'k', model: 'm', timeoutMs: 0 }],
  ])('names the invalid key %s', (key, options) => {
    const error = configError(() => createAnthropicProvider(options));
    expect(error.key).toBe(key);
    expect(error.message).toContain(`option "${key}"`);
  });

  it('calls the public API, not ANTHROPIC_BASE_URL, when no baseURL is given', async () => {
    process.env.ANTHROPIC_BASE_URL = 'http://127.0.0.1:9/from-env';
    const urls: string[] = [];
    const provider = createAnthropicProvider({
      apiKey: 'k',
      model: 'm',
      maxRetries: 0,
      fetch: async (input) => {
        urls.push(String(input instanceof Request ? input.url : input));
        return new Response(JSON.stringify({ type: 'error', error: { type: 'api_error', message: 'offline test' } }), {
          status: 400,
        });
      },
    });
    await expect(async () => {
      for await (const _ of provider.doStream({ messages: [{ role: 'user', content: 'x' }] })) {
        // drain
      }
    }).rejects.toMatchObject({ status: 400 });
    expect(urls).toEqual(['https://api.anthropic.com/v1/messages']);
  });
});
