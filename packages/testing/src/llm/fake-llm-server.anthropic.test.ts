import Anthropic, { AuthenticationError, NotFoundError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeLlmServer, type FakeLlmServer } from './fake-llm-server';

let server: FakeLlmServer;
let client: Anthropic;

beforeAll(async () => {
  server = await createFakeLlmServer({ apiKey: 'sk-test', models: ['fake-model', 'fake-large'] });
  client = new Anthropic({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 0, logLevel: 'off' });
});
afterAll(() => server.close());

const bash = {
  name: 'bash',
  description: 'Runs a command.',
  input_schema: { type: 'object' as const, properties: { command: { type: 'string' } }, required: ['command'] },
};

describe('fake LLM server, Anthropic Messages API through @anthropic-ai/sdk', () => {
  it('answers a non-streaming request with text, a tool_use block and usage without the cached tokens', async () => {
    server.script([
      {
        type: 'reply',
        text: 'Checking.',
        toolCalls: [{ id: 'toolu_1', name: 'bash', input: { command: 'ls' } }],
        usage: { inputTokens: 100, outputTokens: 9, cacheReadTokens: 60, cacheWriteTokens: 30 },
      },
    ]);
    const message = await client.messages.create({
      model: 'fake-model',
      max_tokens: 50,
      tools: [bash],
      messages: [{ role: 'user', content: 'list' }],
    });
    expect(message.content).toMatchObject([
      { type: 'text', text: 'Checking.' },
      { type: 'tool_use', id: 'toolu_1', name: 'bash', input: { command: 'ls' } },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({
      input_tokens: 10,
      output_tokens: 9,
      cache_read_input_tokens: 60,
      cache_creation_input_tokens: 30,
    });
  });

  it('streams SSE that the SDK stream helper reassembles, tool input included', async () => {
    server.script([
      { type: 'reply', text: ['Let ', 'me ', 'check.'], toolCalls: [{ name: 'bash', input: { command: 'echo "hi there"' } }] },
    ]);
    const stream = client.messages.stream({
      model: 'fake-model',
      max_tokens: 50,
      tools: [bash],
      messages: [{ role: 'user', content: 'go' }],
    });
    const texts: string[] = [];
    stream.on('text', (text) => texts.push(text));
    const message = await stream.finalMessage();
    expect(texts).toEqual(['Let ', 'me ', 'check.']);
    expect(message.content[1]).toMatchObject({ type: 'tool_use', name: 'bash', input: { command: 'echo "hi there"' } });
    expect((message.content[1] as { id: string }).id).toMatch(/^toolu_fake_/);
    expect(message.stop_reason).toBe('tool_use');
    expect(server.requests()[0]).toMatchObject({ api: 'anthropic', stream: true, maxTokens: 50 });
  });

  it('records the conversation in the contract terms: system blocks, tool results with is_error', async () => {
    server.script([{ type: 'reply', text: 'ok' }]);
    await client.messages.create({
      model: 'fake-large',
      max_tokens: 10,
      system: [
        { type: 'text', text: 'You are ' },
        { type: 'text', text: 'terse.' },
      ],
      messages: [
        { role: 'user', content: 'run it' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_9', name: 'bash', input: { command: 'false' } }] },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_9', content: 'exit 1', is_error: true },
            { type: 'text', text: 'and now?' },
          ],
        },
      ],
    });
    const [request] = server.requests();
    expect(request?.system).toBe('You are terse.');
    expect(request?.model).toBe('fake-large');
    expect(request?.messages).toEqual([
      { role: 'user', content: 'run it' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'toolu_9', name: 'bash', input: { command: 'false' } }] },
      { role: 'tool', toolCallId: 'toolu_9', content: 'exit 1', isError: true },
      { role: 'user', content: 'and now?' },
    ]);
  });

  it('accepts the key as x-api-key as well as Bearer, and refuses a wrong key with 401', async () => {
    server.script([{ type: 'reply', text: 'a' }]);
    const response = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'sk-test', 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'fake-model', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(200);
    expect(server.requests()[0]?.headers.authorization).toBeUndefined();
    await client.messages.create({ model: 'fake-model', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
    expect(server.requests()[1]?.headers.authorization).toBe('Bearer sk-test');

    const wrong = new Anthropic({ apiKey: 'sk-wrong', baseURL: server.url, maxRetries: 0, logLevel: 'off' });
    const error = await wrong.messages
      .create({ model: 'fake-model', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).type).toBe('authentication_error');
  });

  it('answers an unknown model with a 404 not_found_error naming it', async () => {
    const error = await client.messages
      .create({ model: 'claude-nope', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).message).toContain('claude-nope');
  });

  it('lets the SDK retry a scripted 529 overloaded_error', async () => {
    server.script([
      { type: 'error', status: 529, retryAfterMs: 20 },
      { type: 'reply', text: 'back' },
    ]);
    const retrying = new Anthropic({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 1, logLevel: 'off' });
    const message = await retrying.messages.create({
      model: 'fake-model',
      max_tokens: 5,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(message.content).toMatchObject([{ type: 'text', text: 'back' }]);
    expect(server.requests().map((request) => [request.status, request.headers['x-stainless-retry-count']])).toEqual([
      [529, '0'],
      [200, '1'],
    ]);
  });

  it('refuses a request without max_tokens with a 400 invalid_request_error', async () => {
    const response = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'sk-test' },
      body: JSON.stringify({ model: 'fake-model', messages: [] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
    });
  });

  it('lists its models', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(['fake-model', 'fake-large']);
  });
});
