import type { LlmStreamPart } from '@ngb/plugin-sdk';
import { createRecordingLogger } from '@ngb/plugin-sdk/testing';
import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnthropicProviderOptions } from './anthropic-options';
import { createAnthropicProvider } from './anthropic-provider';

let server: FakeLlmServer;
beforeAll(async () => {
  server = await createFakeLlmServer({ models: ['fake-model', 'other-model'] });
});
afterAll(() => server.close());

function provider(options: Partial<AnthropicProviderOptions> = {}) {
  return createAnthropicProvider({ apiKey: 'k', baseURL: server.url, model: 'fake-model', retryDelayMs: 1, ...options });
}

async function drain(stream: AsyncIterable<LlmStreamPart>): Promise<LlmStreamPart[]> {
  const parts: LlmStreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

describe('anthropic provider, what goes on the wire', () => {
  it('reports usage with cache reads and writes and the model that answered, which prices the call', async () => {
    server.script([
      { type: 'reply', text: 'ok', usage: { inputTokens: 100, outputTokens: 7, cacheReadTokens: 60, cacheWriteTokens: 30 } },
    ]);
    const parts = await drain(provider().doStream({ model: 'other-model', messages: [{ role: 'user', content: 'x' }] }));
    expect(parts.find((part) => part.type === 'usage')).toEqual({
      type: 'usage',
      inputTokens: 100,
      outputTokens: 7,
      cacheReadTokens: 60,
      cacheWriteTokens: 30,
      model: 'other-model',
    });
  });

  it('groups tool results in one user turn, results first, marks failures with is_error', async () => {
    server.script([{ type: 'reply', text: 'ok' }]);
    await drain(
      provider().doStream({
        messages: [
          { role: 'user', content: 'do two things' },
          {
            role: 'assistant',
            content: 'On it.',
            toolCalls: [
              { id: 'toolu_a', name: 'bash', input: { command: 'true' } },
              { id: 'toolu_b', name: 'bash', input: { command: 'false' } },
            ],
          },
          { role: 'tool', toolCallId: 'toolu_a', content: '' },
          { role: 'user', content: 'also, hurry' },
          { role: 'tool', toolCallId: 'toolu_b', content: 'exit 1', isError: true },
        ],
      }),
    );
    const body = server.requests()[0]?.body as { messages: unknown[] };
    expect(body.messages).toEqual([
      { role: 'user', content: 'do two things' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'On it.' },
          { type: 'tool_use', id: 'toolu_a', name: 'bash', input: { command: 'true' } },
          { type: 'tool_use', id: 'toolu_b', name: 'bash', input: { command: 'false' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_a', content: '' },
          { type: 'tool_result', tool_use_id: 'toolu_b', content: 'exit 1', is_error: true },
          { type: 'text', text: 'also, hurry' },
        ],
      },
    ]);
  });

  it('fills in the model, token limit and system prompt from the options; a request overrides them', async () => {
    const configured = provider({ maxTokens: 1234, system: 'From options.' });
    server.script([
      { type: 'reply', text: 'a' },
      { type: 'reply', text: 'b' },
    ]);
    await drain(configured.doStream({ messages: [{ role: 'user', content: 'x' }] }));
    await drain(
      configured.doStream({
        model: 'other-model',
        system: 'From request.',
        maxTokens: 9,
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    const [first, second] = server.requests();
    expect(first).toMatchObject({ model: 'fake-model', maxTokens: 1234, system: 'From options.' });
    expect(second).toMatchObject({ model: 'other-model', maxTokens: 9, system: 'From request.' });
    expect(first?.body).toMatchObject({ stream: true });
  });

  it('does not send a temperature, and says so once in the log', async () => {
    const logger = createRecordingLogger();
    const configured = provider({ temperature: 0.3, logger });
    server.script([
      { type: 'reply', text: 'a' },
      { type: 'reply', text: 'b' },
    ]);
    await drain(configured.doStream({ messages: [{ role: 'user', content: 'x' }] }));
    await drain(configured.doStream({ temperature: 1, messages: [{ role: 'user', content: 'x' }] }));
    expect(server.requests().map((request) => (request.body as Record<string, unknown>).temperature)).toEqual([
      undefined,
      undefined,
    ]);
    expect(logger.lines.filter((line) => line.level === 'warn' && line.message.includes('temperature'))).toHaveLength(1);
  });

  it('sends authToken as Bearer, the extra headers, and goes through the injected fetch', async () => {
    const seen: string[] = [];
    const configured = createAnthropicProvider({
      authToken: 'oauth-token',
      baseURL: server.url,
      model: 'fake-model',
      headers: { 'x-team': 'ngb' },
      fetch: (input, init) => {
        seen.push(String(input instanceof Request ? input.url : input));
        return fetch(input, init);
      },
    });
    server.script([{ type: 'reply', text: 'a' }]);
    await drain(configured.doStream({ messages: [{ role: 'user', content: 'x' }] }));
    expect(seen).toEqual([`${server.url}/v1/messages`]);
    expect(server.requests()[0]?.headers).toMatchObject({ authorization: 'Bearer oauth-token', 'x-team': 'ngb' });
  });

  it('drops a tool call whose arguments were cut by the token limit', async () => {
    server.script([
      {
        type: 'reply',
        text: 'Writing',
        toolCalls: [{ name: 'write', input: {}, inputJson: '{"path": "a.txt", "content": "lo' }],
        stopReason: 'max-tokens',
      },
    ]);
    const parts = await drain(provider().doStream({ messages: [{ role: 'user', content: 'x' }] }));
    expect(parts.map((part) => part.type)).toEqual(['text-delta', 'usage', 'end']);
    expect(parts.at(-1)).toEqual({ type: 'end', stopReason: 'max-tokens' });
  });

  it('maps stop_sequence to stop-sequence', async () => {
    server.script([{ type: 'reply', text: 'a', stopReason: 'stop-sequence' }]);
    const parts = await drain(provider().doStream({ messages: [{ role: 'user', content: 'x' }] }));
    expect(parts.at(-1)).toEqual({ type: 'end', stopReason: 'stop-sequence' });
  });
  it('does not count the time the consumer spends on a part against timeoutMs', async () => {
    server.script([{ type: 'reply', text: ['slow ', 'reader'], chunkDelayMs: 50 }]);
    let text = '';
    for await (const part of provider({ timeoutMs: 300 }).doStream({ messages: [{ role: 'user', content: 'x' }] })) {
      if (part.type !== 'text-delta') continue;
      text += part.text;
      await new Promise((resolve) => setTimeout(resolve, 600));
    }
    expect(text).toBe('slow reader');
  });
});
