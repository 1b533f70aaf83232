import { LlmApiError, type LlmStreamPart } from '@ngb/plugin-sdk';
import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAIProvider } from './openai-provider';

let server: FakeLlmServer;
beforeAll(async () => {
  server = await createFakeLlmServer();
});
afterAll(() => server.close());

async function run(stream: AsyncIterable<LlmStreamPart>): Promise<unknown> {
  try {
    for await (const _ of stream) {
      // drain
    }
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('openai provider retries', () => {
  it('does not retry by default (the gateway retries model calls itself)', async () => {
    const provider = createOpenAIProvider({ apiKey: 'k', baseURL: `${server.url}/v1`, model: 'fake-model' });
    server.script([
      { type: 'error', status: 503 },
      { type: 'reply', text: 'never' },
    ]);
    expect(await run(provider.doStream({ messages: [{ role: 'user', content: 'x' }] }))).toMatchObject({
      status: 503,
      retryable: true,
    });
    expect(server.requests()).toHaveLength(1);
  });

  it('waits the seconds of a plain retry-after before retrying', async () => {
    const waits: number[] = [];
    const provider = createOpenAIProvider({
      apiKey: 'k',
      baseURL: `${server.url}/v1`,
      model: 'fake-model',
      maxRetries: 2,
      sleep: async (ms) => void waits.push(ms),
    });
    server.script([
      { type: 'error', status: 429, headers: { 'retry-after': '3' } },
      { type: 'reply', text: 'ok' },
    ]);
    expect(await run(provider.doStream({ messages: [{ role: 'user', content: 'x' }] }))).toBeUndefined();
    expect(waits).toEqual([3000]);
  });

  it('does not wait for a retry-after beyond maxRetryDelayMs, and reports it', async () => {
    const provider = createOpenAIProvider({
      apiKey: 'k',
      baseURL: `${server.url}/v1`,
      model: 'fake-model',
      maxRetries: 2,
      maxRetryDelayMs: 1_000,
    });
    server.script([
      { type: 'error', status: 429, retryAfterMs: 5_000 },
      { type: 'reply', text: 'never' },
    ]);
    const error = await run(provider.doStream({ messages: [{ role: 'user', content: 'x' }] }));
    expect(LlmApiError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ provider: 'openai', status: 429, retryable: true, retryAfterMs: 5_000 });
    expect(server.requests()).toHaveLength(1);
  });
});
