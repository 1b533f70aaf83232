import { LlmApiError, type LlmStreamPart } from '@ngb/plugin-sdk';
import { createRecordingLogger } from '@ngb/plugin-sdk/testing';
import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnthropicProviderOptions } from './anthropic-options';
import { createAnthropicProvider } from './anthropic-provider';

let server: FakeLlmServer;
beforeAll(async () => {
  server = await createFakeLlmServer();
});
afterAll(() => server.close());

function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

/** A provider used alone, opting in to its own retries. */
function provider(options: Partial<AnthropicProviderOptions> = {}) {
  return createAnthropicProvider({ apiKey: 'k', baseURL: server.url, model: 'fake-model', maxRetries: 2, ...options });
}

async function run(stream: AsyncIterable<LlmStreamPart>): Promise<{ parts: LlmStreamPart[]; error: unknown }> {
  const parts: LlmStreamPart[] = [];
  try {
    for await (const part of stream) parts.push(part);
    return { parts, error: undefined };
  } catch (error) {
    return { parts, error };
  }
}

const hello = { messages: [{ role: 'user' as const, content: 'hello' }] };

describe('anthropic provider retries', () => {
  it('waits the seconds of a plain retry-after before retrying', async () => {
    const { waits, sleep } = recordingSleep();
    server.script([
      { type: 'error', status: 429, headers: { 'retry-after': '2' } },
      { type: 'reply', text: 'ok' },
    ]);
    const { error } = await run(provider({ sleep }).doStream(hello));
    expect(error).toBeUndefined();
    expect(waits).toEqual([2000]);
  });

  it('does not wait for a retry-after beyond maxRetryDelayMs, and reports it', async () => {
    const { waits, sleep } = recordingSleep();
    server.script([
      { type: 'error', status: 429, headers: { 'retry-after': '120' } },
      { type: 'reply', text: 'never' },
    ]);
    const { error } = await run(provider({ sleep, maxRetryDelayMs: 30_000 }).doStream(hello));
    expect(LlmApiError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 429, retryable: true, retryAfterMs: 120_000, provider: 'anthropic' });
    expect(waits).toEqual([]);
    expect(server.requests()).toHaveLength(1);
  });

  it('backs off exponentially without retry-after, and logs each retry', async () => {
    const { waits, sleep } = recordingSleep();
    const logger = createRecordingLogger();
    server.script([
      { type: 'error', status: 503 },
      { type: 'error', status: 500 },
      { type: 'error', status: 529 },
      { type: 'reply', text: 'up' },
    ]);
    const { parts } = await run(provider({ sleep, logger, maxRetries: 3, retryDelayMs: 100 }).doStream(hello));
    expect(parts.at(-1)).toEqual({ type: 'end', stopReason: 'end' });
    expect(waits).toHaveLength(3);
    const [first = 0, second = 0, third = 0] = waits;
    expect(first).toBeGreaterThanOrEqual(80);
    expect(first).toBeLessThanOrEqual(120);
    expect(second).toBeGreaterThanOrEqual(160);
    expect(second).toBeLessThanOrEqual(240);
    expect(third).toBeGreaterThanOrEqual(320);
    expect(third).toBeLessThanOrEqual(480);
    expect(logger.lines.filter((line) => line.level === 'warn' && line.message.startsWith('retrying'))).toHaveLength(3);
  });

  it('does not retry by default (the gateway retries model calls itself)', async () => {
    server.script([
      { type: 'error', status: 503 },
      { type: 'reply', text: 'never' },
    ]);
    const { error } = await run(
      createAnthropicProvider({ apiKey: 'k', baseURL: server.url, model: 'fake-model' }).doStream(hello),
    );
    expect(error).toMatchObject({ status: 503, retryable: true });
    expect(server.requests()).toHaveLength(1);
  });

  it('does not retry with maxRetries 0', async () => {
    server.script([
      { type: 'error', status: 500 },
      { type: 'reply', text: 'never' },
    ]);
    const { error } = await run(provider({ maxRetries: 0 }).doStream(hello));
    expect(error).toMatchObject({ status: 500 });
    expect(server.requests()).toHaveLength(1);
  });

  it('stops waiting for a retry as soon as the signal aborts', async () => {
    server.script([
      { type: 'error', status: 429, retryAfterMs: 10_000 },
      { type: 'reply', text: 'never' },
    ]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop waiting')), 100);
    const started = Date.now();
    const { error } = await run(provider().doStream({ ...hello, signal: controller.signal }));
    expect((error as Error).message).toBe('stop waiting');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(server.requests()).toHaveLength(1);
  });
});
