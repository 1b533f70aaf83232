import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeLlmServer, type FakeLlmServer } from './fake-llm-server';

let server: FakeLlmServer;
beforeAll(async () => {
  server = await createFakeLlmServer();
});
afterAll(() => server.close());

const apis = [
  { api: 'anthropic', path: '/v1/messages', lastFrame: 'event: message_stop' },
  { api: 'openai', path: '/v1/chat/completions', lastFrame: 'data: [DONE]' },
] as const;

function post(path: string, stream: boolean, signal?: AbortSignal): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    signal,
    body: JSON.stringify({ model: 'fake-model', max_tokens: 100, stream, messages: [{ role: 'user', content: 'hi' }] }),
  });
}

/** Reads the body as text until it ends or fails; returns what arrived and the failure. */
async function readAll(response: Response): Promise<{ text: string; error: unknown }> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, error: undefined };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, error };
  }
}

const chunks = ['alpha ', 'beta ', 'gamma ', 'delta'];

describe.each(apis)('fake LLM server faults, $api streams', ({ path, lastFrame }) => {
  it('cuts the connection after the given deltas, which are delivered first', async () => {
    server.script([{ type: 'reply', text: chunks, fault: { kind: 'cut', afterDeltas: 2 } }]);
    const { text, error } = await readAll(await post(path, true));
    expect(error).toBeInstanceOf(Error);
    expect(text).toContain('alpha ');
    expect(text).toContain('beta ');
    expect(text).not.toContain('gamma');
  });

  it('truncates: ends cleanly without the closing events', async () => {
    server.script([{ type: 'reply', text: chunks, fault: { kind: 'truncate', afterDeltas: 9 } }]);
    const { text, error } = await readAll(await post(path, true));
    expect(error).toBeUndefined();
    expect(text).toContain('delta');
    expect(text).not.toContain(lastFrame);
  });

  it('sends an event whose data is not JSON', async () => {
    server.script([{ type: 'reply', text: chunks, fault: { kind: 'malformed', afterDeltas: 1 } }]);
    const { text } = await readAll(await post(path, true));
    const dataLines = text.split('\n').filter((line) => line.startsWith('data: '));
    const broken = dataLines.filter((line) => {
      try {
        JSON.parse(line.slice(6));
        return false;
      } catch {
        return true;
      }
    });
    expect(broken).toHaveLength(1);
    expect(text).not.toContain('beta');
  });

  it('stalls with the connection open until the client leaves, then serves the next request', async () => {
    server.script([
      { type: 'reply', text: chunks, fault: { kind: 'stall', afterDeltas: 1 } },
      { type: 'reply', text: 'next' },
    ]);
    const controller = new AbortController();
    const response = await post(path, true, controller.signal);
    const reading = readAll(response);
    const outcome = await Promise.race([reading.then(() => 'ended'), new Promise((resolve) => setTimeout(resolve, 300, 'open'))]);
    expect(outcome).toBe('open');
    controller.abort();
    expect((await reading).text).toContain('alpha');
    const next = await readAll(await post(path, true));
    expect(next.text).toContain('next');
  });

  it('waits before the first byte and before each delta', async () => {
    server.script([{ type: 'reply', text: ['a ', 'b ', 'c'], firstByteDelayMs: 150, chunkDelayMs: 60 }]);
    const started = Date.now();
    const response = await post(path, true);
    const headersAt = Date.now() - started;
    await readAll(response);
    expect(headersAt).toBeGreaterThanOrEqual(140);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140 + 3 * 55);
  });

  it('answers a scripted error with retry headers and the API-shaped body', async () => {
    server.script([{ type: 'error', status: 429, retryAfterMs: 1500, headers: { 'x-extra': 'yes' } }]);
    const response = await post(path, true);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after-ms')).toBe('1500');
    expect(response.headers.get('retry-after')).toBe('2');
    expect(response.headers.get('x-extra')).toBe('yes');
    const body = (await response.json()) as Record<string, { type?: string; message?: string }>;
    expect(body.error?.message).toBe('rate limit exceeded');
  });
});

describe.each(apis)('fake LLM server faults, $api without streaming', ({ path }) => {
  it('cuts the JSON body half way', async () => {
    server.script([{ type: 'reply', text: 'a complete answer', fault: { kind: 'cut' } }]);
    const { error } = await readAll(await post(path, false));
    expect(error).toBeInstanceOf(Error);
  });

  it.each(['truncate', 'malformed'] as const)('sends a body that is not JSON (%s)', async (kind) => {
    server.script([{ type: 'reply', text: 'a complete answer', fault: { kind } }]);
    const response = await post(path, false);
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });
});
