import type { LlmStreamPart } from '@ngb/plugin-sdk';
import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenAIProviderOptions } from './openai-options';
import { createOpenAIProvider } from './openai-provider';

let server: FakeLlmServer;
beforeAll(async () => {
  server = await createFakeLlmServer({ models: ['fake-model', 'other-model'] });
});
afterAll(() => server.close());

function provider(options: Partial<OpenAIProviderOptions> = {}) {
  return createOpenAIProvider({ apiKey: 'k', baseURL: `${server.url}/v1`, model: 'fake-model', retryDelayMs: 1, ...options });
}

async function drain(stream: AsyncIterable<LlmStreamPart>): Promise<LlmStreamPart[]> {
  const parts: LlmStreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

describe('openai provider, what goes on the wire', () => {
  it('sends the system prompt first, tool calls with JSON arguments, one tool message per result', async () => {
    server.script([{ type: 'reply', text: 'ok' }]);
    await drain(
      provider().doStream({
        system: 'Be terse.',
        messages: [
          { role: 'user', content: 'check' },
          {
            role: 'assistant',
            content: '',
            toolCalls: [
              { id: 'c1', name: 'bash', input: { command: 'id' } },
              { id: 'c2', name: 'bash', input: { command: 'x' } },
            ],
          },
          { role: 'tool', toolCallId: 'c1', content: 'uid=1000' },
          { role: 'tool', toolCallId: 'c2', content: 'not found', isError: true },
        ],
        tools: [{ name: 'bash', description: 'Runs a command.', inputSchema: { type: 'object' } }],
      }),
    );
    const body = server.requests()[0]?.body as Record<string, unknown>;
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be terse.' },
      { role: 'user', content: 'check' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'bash', arguments: '{"command":"id"}' } },
          { id: 'c2', type: 'function', function: { name: 'bash', arguments: '{"command":"x"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'uid=1000' },
      { role: 'tool', tool_call_id: 'c2', content: 'Error: not found' },
    ]);
    expect(body.tools).toEqual([
      { type: 'function', function: { name: 'bash', description: 'Runs a command.', parameters: { type: 'object' } } },
    ]);
    expect(body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('sends max_tokens to a compatible server (or the configured field) and the temperature', async () => {
    server.script([
      { type: 'reply', text: 'a' },
      { type: 'reply', text: 'b' },
    ]);
    await drain(provider({ maxTokens: 300, temperature: 0.7 }).doStream({ messages: [{ role: 'user', content: 'x' }] }));
    await drain(
      provider({ maxTokensField: 'max_completion_tokens' }).doStream({
        model: 'other-model',
        maxTokens: 5,
        temperature: 0,
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    const [first, second] = server.requests().map((request) => request.body as Record<string, unknown>);
    expect(first).toMatchObject({ model: 'fake-model', max_tokens: 300, temperature: 0.7 });
    expect(second).toMatchObject({ model: 'other-model', max_completion_tokens: 5, temperature: 0 });
    expect(second?.max_tokens).toBeUndefined();
  });

  it('reports tool calls as tool-calls even when a compatible server says stop', async () => {
    server.script([{ type: 'reply', toolCalls: [{ name: 'bash', input: { command: 'ls' } }], stopReason: 'end' }]);
    const parts = await drain(provider().doStream({ messages: [{ role: 'user', content: 'x' }] }));
    expect(parts.map((part) => part.type)).toEqual(['tool-call', 'usage', 'end']);
    expect(parts.at(-1)).toEqual({ type: 'end', stopReason: 'tool-calls' });
  });

  it('drops a tool call whose arguments were cut by the token limit', async () => {
    server.script([
      { type: 'reply', toolCalls: [{ name: 'write', input: {}, inputJson: '{"path": "a' }], stopReason: 'max-tokens' },
    ]);
    const parts = await drain(provider().doStream({ messages: [{ role: 'user', content: 'x' }] }));
    expect(parts.map((part) => part.type)).toEqual(['usage', 'end']);
    expect(parts.at(-1)).toEqual({ type: 'end', stopReason: 'max-tokens' });
  });

  it('passes the extra headers and goes through the injected fetch', async () => {
    const seen: string[] = [];
    const configured = provider({
      headers: { 'x-team': 'ngb' },
      fetch: (input, init) => {
        seen.push(String(input));
        return fetch(input, init);
      },
    });
    server.script([{ type: 'reply', text: 'a' }]);
    await drain(configured.doStream({ messages: [{ role: 'user', content: 'x' }] }));
    expect(seen).toEqual([`${server.url}/v1/chat/completions`]);
    expect(server.requests()[0]?.headers).toMatchObject({ authorization: 'Bearer k', 'x-team': 'ngb' });
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
