import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicPrices, createAnthropicProvider } from '@ngb/llm-anthropic';
import { openAIPrices } from '@ngb/llm-openai';
import { createRecordingLogger } from '@ngb/plugin-sdk/testing';
import { describe, expect, it } from 'vitest';
import { chooseModel, createProviders } from './model-providers';

describe('chooseModel', () => {
  it('prefers the config, then ANTHROPIC_API_KEY, then OpenAI (key or base URL)', () => {
    expect(chooseModel({ provider: 'openai', model: 'm' }, { ANTHROPIC_API_KEY: 'a', OPENAI_API_KEY: 'o' })).toMatchObject({
      provider: 'openai',
      model: 'm',
    });
    expect(chooseModel(undefined, { ANTHROPIC_API_KEY: 'a', OPENAI_API_KEY: 'o' })).toMatchObject({
      provider: 'anthropic',
      credentialVariable: 'ANTHROPIC_API_KEY',
    });
    expect(chooseModel(undefined, { OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' })).toMatchObject({
      provider: 'openai',
      baseURL: 'http://127.0.0.1:1/v1',
      credentialVariable: undefined,
    });
  });

  it('lets OPENAI_BASE_URL win over the config, and --model over both', () => {
    const choice = chooseModel(
      { provider: 'openai', model: 'from-config', baseURL: 'http://config/v1' },
      { OPENAI_BASE_URL: 'http://env/v1' },
      { model: 'flag' },
    );
    expect(choice).toMatchObject({ baseURL: 'http://env/v1', model: 'flag' });
  });

  it('says exactly what to set when nothing is configured, or the chosen provider lacks its key', () => {
    expect(() => chooseModel(undefined, {})).toThrow(
      /set ANTHROPIC_API_KEY .* OPENAI_API_KEY .* OPENAI_BASE_URL to a local OpenAI-compatible server/,
    );
    expect(() => chooseModel({ provider: 'anthropic' }, { OPENAI_API_KEY: 'o' })).toThrow(
      /"anthropic" .* ANTHROPIC_API_KEY is not set/,
    );
    expect(() => chooseModel({ provider: 'openai' }, { ANTHROPIC_API_KEY: 'a' })).toThrow(
      /neither OPENAI_API_KEY nor OPENAI_BASE_URL is set/,
    );
  });

  it('defaults to current models: each priced by its provider table, the Anthropic one not deprecated', async () => {
    const anthropic = chooseModel(undefined, { ANTHROPIC_API_KEY: 'a' }).model;
    const openai = chooseModel(undefined, { OPENAI_API_KEY: 'o' }).model;
    expect(anthropicPrices[anthropic]).toBeDefined();
    expect(openAIPrices[openai]).toBeDefined();
    const logger = createRecordingLogger();
    const provider = createAnthropicProvider({
      apiKey: 'a',
      model: anthropic,
      logger,
      maxRetries: 0,
      fetch: async () =>
        new Response(JSON.stringify({ type: 'error', error: { type: 'api_error', message: 'offline' } }), { status: 400 }),
    });
    await expect(async () => {
      for await (const _ of provider.doStream({ messages: [{ role: 'user', content: 'hi' }] })) {
        // the request fails offline; only the warnings matter
      }
    }).rejects.toMatchObject({ status: 400 });
    expect(logger.lines.filter((line) => line.level === 'warn')).toEqual([]);
  });
});

describe('createProviders', () => {
  it('builds providers that never retry a model call themselves (the gateway retries it once, in one place)', async () => {
    let requests = 0;
    const server = createServer((_request, response) => {
      requests += 1;
      response.writeHead(529, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { type: 'overloaded_error', message: 'overloaded' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
      const providers = await createProviders(
        { provider: 'openai', model: 'fake-model', baseURL },
        undefined,
        { OPENAI_API_KEY: 'k' },
        createRecordingLogger(),
      );
      const stream = providers.default?.doStream({ messages: [{ role: 'user', content: 'hello' }] }) ?? [];
      await expect(
        (async () => {
          for await (const _ of stream) {
            // drain
          }
        })(),
      ).rejects.toMatchObject({ status: 529, retryable: true });
      expect(requests).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('several API keys in one variable', () => {
  it('splits OPENAI_API_KEY on commas (blanks ignored); a 429 sends the next call with the next key', async () => {
    const { apiKeysOf } = await import('./model-providers');
    expect(apiKeysOf(' k1, k2 ,,k3')).toEqual(['k1', 'k2', 'k3']);
    expect(apiKeysOf(undefined)).toEqual([]);
    const seen: string[] = [];
    const server = createServer((request, response) => {
      seen.push(String(request.headers.authorization));
      response.writeHead(429, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'slow down', type: 'rate_limit' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const env = { OPENAI_API_KEY: 'k1, k2', OPENAI_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` };
      const providers = await createProviders(chooseModel(undefined, env), undefined, env, createRecordingLogger());
      for (let call = 0; call < 3; call += 1) {
        const stream = providers.default?.doStream({ messages: [{ role: 'user', content: 'hi' }] }) ?? [];
        await expect(
          (async () => {
            for await (const _part of stream) {
              /* drained */
            }
          })(),
        ).rejects.toMatchObject({ status: 429 });
      }
      expect(seen).toEqual(['Bearer k1', 'Bearer k2', 'Bearer k1']);
    } finally {
      server.close();
    }
  });
});
