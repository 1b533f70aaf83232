import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeLlmServer, type FakeLlmServer } from './fake-llm-server';

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function chat(target: FakeLlmServer, content: string, options: { tools?: boolean; model?: string } = {}) {
  const client = new OpenAI({ apiKey: 'k', baseURL: `${target.url}/v1`, maxRetries: 0, logLevel: 'off' });
  return client.chat.completions.create({
    model: options.model ?? 'fake-model',
    messages: [{ role: 'user', content }],
    ...(options.tools === true
      ? { tools: [{ type: 'function' as const, function: { name: 'bash', parameters: { type: 'object' } } }] }
      : {}),
  });
}

describe('fake LLM server scripts', () => {
  it('answers the steps in order, then falls back to the rules', async () => {
    server = await createFakeLlmServer({ script: [{ type: 'reply', text: 'first' }] });
    server.enqueue({ type: 'reply', text: 'second' });
    expect(server.pending()).toBe(2);
    const answers = [];
    for (const question of ['a', 'b', 'c']) answers.push((await chat(server, question)).choices[0]?.message.content);
    expect(answers).toEqual(['first', 'second', 'echo: c']);
    expect(server.pending()).toBe(0);
  });

  it('script() replaces the pending steps and forgets the recorded requests', async () => {
    server = await createFakeLlmServer({
      script: [
        { type: 'reply', text: 'old' },
        { type: 'reply', text: 'older' },
      ],
    });
    await chat(server, 'x');
    server.script([{ type: 'reply', text: 'new' }]);
    expect(server.requests()).toEqual([]);
    expect((await chat(server, 'y')).choices[0]?.message.content).toBe('new');
    expect(server.requests()).toHaveLength(1);
  });

  it("answers 500 once the script is used up when whenScriptEmpty is 'error'", async () => {
    server = await createFakeLlmServer({ whenScriptEmpty: 'error' });
    await expect(chat(server, 'x')).rejects.toMatchObject({ status: 500, message: expect.stringContaining('script is used up') });
  });

  it('drives a tool flow with the rules: run: <cmd> → bash call → a quote of the output', async () => {
    server = await createFakeLlmServer();
    const first = await chat(server, 'please run: ls -la /tmp', { tools: true });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' ? [call.function.name, JSON.parse(call.function.arguments)] : undefined).toEqual([
      'bash',
      { command: 'ls -la /tmp' },
    ]);
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('accepts any model with acceptAnyModel, and only the listed ones otherwise', async () => {
    server = await createFakeLlmServer({ models: ['m1'] });
    await expect(chat(server, 'x', { model: 'm2' })).rejects.toMatchObject({ status: 404 });
    await expect(chat(server, 'x', { model: 'm1' })).resolves.toBeDefined();
    await server.close();
    server = await createFakeLlmServer({ acceptAnyModel: true });
    await expect(chat(server, 'x', { model: 'anything-at-all' })).resolves.toBeDefined();
  });

  it('answers 400 to a body that is not JSON, and 404 to an unknown route', async () => {
    server = await createFakeLlmServer();
    const invalid = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', body: '{oops' });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    expect((await fetch(`${server.url}/v2/else`)).status).toBe(404);
    expect(server.requests()).toEqual([]);
  });

  it('listens on an ephemeral loopback port and frees it on close', async () => {
    server = await createFakeLlmServer();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
    const { url } = server;
    await server.close();
    server = undefined;
    await expect(fetch(`${url}/v1/models`)).rejects.toThrow();
  });
});
