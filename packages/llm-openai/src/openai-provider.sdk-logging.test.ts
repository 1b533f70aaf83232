import { createRecordingLogger } from '@ngb/plugin-sdk/testing';
import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOpenAIProvider } from './openai-provider';

let server: FakeLlmServer;
beforeAll(async () => {
  server = await createFakeLlmServer({ models: ['gpt-6.1-terra'] });
});
afterAll(() => server.close());
afterEach(() => vi.restoreAllMocks());

describe('what the openai SDK has to say', () => {
  it('goes to the injected logger, never to stderr or the console', async () => {
    const terminal = [
      vi.spyOn(process.stderr, 'write'),
      vi.spyOn(process.stdout, 'write'),
      ...(['warn', 'error', 'log', 'info', 'debug'] as const).map((method) => vi.spyOn(console, method)),
    ];
    server.script([{ type: 'reply', text: ['one ', 'two ', 'three'], fault: { kind: 'malformed', afterDeltas: 1 } }]);
    const logger = createRecordingLogger();
    const provider = createOpenAIProvider({
      apiKey: 'k',
      baseURL: `${server.url}/v1`,
      model: 'gpt-6.1-terra',
      maxRetries: 0,
      logger,
    });
    await expect(async () => {
      for await (const _ of provider.doStream({ messages: [{ role: 'user', content: 'hi' }] })) {
        // drain until the malformed event
      }
    }).rejects.toMatchObject({ provider: 'openai' });
    for (const spy of terminal) expect(spy).not.toHaveBeenCalled();
    const sdkLines = logger.lines.filter((line) => line.message.startsWith('Could not parse message into JSON'));
    expect(sdkLines.map((line) => line.level)).toEqual(['error']);
  });
});
