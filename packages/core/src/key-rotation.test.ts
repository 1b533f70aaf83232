import { createOpenAIProvider } from '@ngb/llm-openai';
import { LlmApiError, type LlmProvider } from '@ngb/plugin-sdk';
import { createRecordingLogger, type LlmScriptStep } from '@ngb/plugin-sdk/testing';
import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeyRotatingProvider } from './key-rotation';

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function rotating(keys: string[], script: LlmScriptStep[], serverKey?: string) {
  server = await createFakeLlmServer({ script, acceptAnyModel: true, apiKey: serverKey });
  const url = `${server.url}/v1`;
  const logger = createRecordingLogger();
  const provider = createKeyRotatingProvider({
    name: 'openai',
    logger,
    keys: keys.map((apiKey, index) => ({
      label: `OPENAI_API_KEY #${index + 1}`,
      provider: createOpenAIProvider({ baseURL: url, apiKey, model: 'fake-model', maxRetries: 0 }),
    })),
  });
  return { provider, logger };
}

async function call(provider: LlmProvider): Promise<string> {
  let text = '';
  for await (const part of provider.doStream({ messages: [{ role: 'user', content: 'hi' }] })) {
    if (part.type === 'text-delta') text += part.text;
  }
  return text;
}

describe('several API keys of one provider', () => {
  it('a 429 moves the next call to the next key; a success stays on its key', async () => {
    const { provider } = await rotating(
      ['key-one', 'key-two'],
      [
        { type: 'error', status: 429 },
        { type: 'reply', text: 'a' },
        { type: 'reply', text: 'b' },
      ],
    );
    await expect(call(provider)).rejects.toMatchObject({ status: 429 });
    expect(await call(provider)).toBe('a');
    expect(await call(provider)).toBe('b');
    expect(server?.requests().map((request) => request.apiKey)).toEqual(['key-one', 'key-two', 'key-two']);
  });

  it('a key that answered 401 is marked bad and reported once; the call goes on with the next key', async () => {
    const { provider, logger } = await rotating(
      ['revoked', 'good'],
      [
        { type: 'reply', text: 'a' },
        { type: 'reply', text: 'b' },
      ],
      'good',
    );
    expect(await call(provider)).toBe('a');
    expect(await call(provider)).toBe('b');
    expect(server?.requests().map((request) => request.apiKey)).toEqual(['revoked', 'good', 'good']);
    const refused = logger.lines.filter((line) => line.level === 'error');
    expect(refused).toHaveLength(1);
    expect(refused[0]?.fields).toMatchObject({ key: 'OPENAI_API_KEY #1', status: 401 });
    expect(JSON.stringify(logger.lines)).not.toContain('revoked');
  });

  it('every key refused: a non-retryable error naming the keys, and no key is asked again', async () => {
    const { provider, logger } = await rotating(['bad-1', 'bad-2'], [], 'good');
    const error = await call(provider).catch((caught: unknown) => caught);
    expect(LlmApiError.isInstance(error) && !error.retryable).toBe(true);
    expect(String((error as Error).message)).toContain('OPENAI_API_KEY #1, OPENAI_API_KEY #2');
    await expect(call(provider)).rejects.toMatchObject({ status: 401 });
    expect(server?.requests()).toHaveLength(2);
    expect(logger.lines.filter((line) => line.level === 'error')).toHaveLength(2);
  });
});
