import OpenAI, { NotFoundError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeLlmServer, type FakeLlmServer } from './fake-llm-server';

let server: FakeLlmServer;
let client: OpenAI;

beforeAll(async () => {
  server = await createFakeLlmServer({ models: ['fake-model', 'gpt-fake'] });
  client = new OpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1`, maxRetries: 0, logLevel: 'off' });
});
afterAll(() => server.close());

const bash = {
  type: 'function' as const,
  function: {
    name: 'bash',
    description: 'Runs a command.',
    parameters: { type: 'object', properties: { command: { type: 'string' } } },
  },
};

describe('fake LLM server, OpenAI Chat Completions through openai', () => {
  it('answers a non-streaming request with tool_calls, finish_reason and usage', async () => {
    server.script([
      {
        type: 'reply',
        toolCalls: [{ id: 'call_1', name: 'bash', input: { command: 'pwd' } }],
        usage: { inputTokens: 50, outputTokens: 5, cacheReadTokens: 40, cacheWriteTokens: 3 },
      },
    ]);
    const completion = await client.chat.completions.create({
      model: 'fake-model',
      tools: [bash],
      messages: [{ role: 'user', content: 'where?' }],
    });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls).toEqual([
      { id: 'call_1', type: 'function', function: { name: 'bash', arguments: '{"command":"pwd"}' } },
    ]);
    expect(completion.usage).toMatchObject({
      prompt_tokens: 50,
      completion_tokens: 5,
      total_tokens: 55,
      prompt_tokens_details: { cached_tokens: 40 },
    });
  });

  it('streams chunks that the SDK stream helper reassembles, two tool calls by index', async () => {
    server.script([
      {
        type: 'reply',
        text: ['One ', 'moment.'],
        toolCalls: [
          { name: 'bash', input: { command: 'ls -la' } },
          { name: 'bash', input: { command: 'cat "a b.txt"' } },
        ],
        usage: { inputTokens: 20, outputTokens: 12 },
      },
    ]);
    const stream = client.chat.completions.stream({
      model: 'fake-model',
      tools: [bash],
      messages: [{ role: 'user', content: 'look' }],
      stream_options: { include_usage: true },
    });
    const deltas: string[] = [];
    stream.on('content', (delta) => deltas.push(delta));
    const completion = await stream.finalChatCompletion();
    expect(deltas).toEqual(['One ', 'moment.']);
    const calls = completion.choices[0]?.message.tool_calls ?? [];
    expect(calls.map((call) => (call.type === 'function' ? JSON.parse(call.function.arguments) : undefined))).toEqual([
      { command: 'ls -la' },
      { command: 'cat "a b.txt"' },
    ]);
    expect(calls[0]?.id).not.toBe(calls[1]?.id);
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.usage).toMatchObject({ prompt_tokens: 20, completion_tokens: 12 });
  });

  it('sends the usage chunk only when asked, and ends with data: [DONE]', async () => {
    server.script([
      { type: 'reply', text: 'hi' },
      { type: 'reply', text: 'hi' },
    ]);
    const read = async (includeUsage: boolean) => {
      const response = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({
          model: 'fake-model',
          stream: true,
          messages: [{ role: 'user', content: 'x' }],
          ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
        }),
      });
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      return (await response.text()).trim().split('\n\n');
    };
    const withUsage = await read(true);
    const withoutUsage = await read(false);
    expect(withUsage.at(-1)).toBe('data: [DONE]');
    expect(withUsage.at(-2)).toContain('"choices":[],"usage":{"prompt_tokens"');
    expect(withoutUsage.at(-1)).toBe('data: [DONE]');
    expect(withoutUsage.some((frame) => frame.includes('"usage"'))).toBe(false);
  });

  it('records the conversation in the contract terms', async () => {
    server.script([{ type: 'reply', text: 'ok' }]);
    await client.chat.completions.create({
      model: 'gpt-fake',
      max_completion_tokens: 64,
      temperature: 0.2,
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'user', content: [{ type: 'text', text: 'run it' }] },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'bash', arguments: '{"command":"id"}' } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'uid=1000' },
      ],
    });
    expect(server.requests()[0]).toMatchObject({
      api: 'openai',
      model: 'gpt-fake',
      system: 'Be terse.',
      maxTokens: 64,
      temperature: 0.2,
      stream: false,
    });
    expect(server.requests()[0]?.messages).toEqual([
      { role: 'user', content: 'run it' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'bash', input: { command: 'id' } }] },
      { role: 'tool', toolCallId: 'c1', content: 'uid=1000' },
    ]);
  });

  it('answers an unknown model with a 404 naming it', async () => {
    const error = await client.chat.completions
      .create({ model: 'gpt-nope', messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).message).toContain('gpt-nope');
    expect((error as NotFoundError).code).toBe('model_not_found');
  });

  it('lets the SDK retry a scripted 429 after retry-after-ms', async () => {
    server.script([
      { type: 'error', status: 429, retryAfterMs: 30 },
      { type: 'reply', text: 'fine' },
    ]);
    const retrying = new OpenAI({ apiKey: 'k', baseURL: `${server.url}/v1`, maxRetries: 1, logLevel: 'off' });
    const completion = await retrying.chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(completion.choices[0]?.message.content).toBe('fine');
    const [first, second] = server.requests();
    expect([first?.status, second?.status]).toEqual([429, 200]);
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(25);
  });

  it('serves /chat/completions without the /v1 prefix too', async () => {
    server.script([{ type: 'reply', text: 'root' }]);
    const rootClient = new OpenAI({ apiKey: 'k', baseURL: server.url, maxRetries: 0, logLevel: 'off' });
    const completion = await rootClient.chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(completion.choices[0]?.message.content).toBe('root');
  });

  it('lists and retrieves its models', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(['fake-model', 'gpt-fake']);
    expect(await client.models.retrieve('gpt-fake')).toMatchObject({ id: 'gpt-fake', object: 'model' });
  });
});
