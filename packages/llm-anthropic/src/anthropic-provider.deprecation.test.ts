import type { LlmStreamPart } from '@ngb/plugin-sdk';
import { createRecordingLogger } from '@ngb/plugin-sdk/testing';
import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { createAnthropicProvider } from './anthropic-provider';

let server: FakeLlmServer;
beforeAll(async () => {
  server = await createFakeLlmServer({ models: ['claude-sonnet-4-5', 'claude-sonnet-4-5-20250929', 'claude-sonnet-5-5'] });
});
afterAll(() => server.close());

// Everything that would reach the terminal of the app embedding the provider.
let terminal: MockInstance[] = [];
beforeEach(() => {
  terminal = [
    vi.spyOn(process.stderr, 'write'),
    vi.spyOn(process.stdout, 'write'),
    ...(['warn', 'error', 'log', 'info', 'debug'] as const).map((method) => vi.spyOn(console, method)),
  ];
});
afterEach(() => vi.restoreAllMocks());

async function ask(model: string, logger = createRecordingLogger()) {
  server.script([{ type: 'reply', text: 'still here' }]);
  const provider = createAnthropicProvider({ apiKey: 'k', baseURL: server.url, model, logger });
  const parts: LlmStreamPart[] = [];
  for await (const part of provider.doStream({ messages: [{ role: 'user', content: 'hi' }] })) parts.push(part);
  for await (const _ of provider.doStream({ messages: [{ role: 'user', content: 'again' }] })) {
    // a second request: the warning is given once per model
  }
  return { parts, logger };
}

describe('a deprecated model', () => {
  it.each(['claude-sonnet-4-5', 'claude-sonnet-4-5-20250929'])(
    '%s: the deprecation notice goes to the logger once, nothing to stderr or stdout',
    async (model) => {
      const { parts, logger } = await ask(model);
      expect(parts.at(-1)).toEqual({ type: 'end', stopReason: 'end' });
      for (const spy of terminal) expect(spy).not.toHaveBeenCalled();
      const warnings = logger.lines.filter((line) => line.level === 'warn');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.message).toMatch(/^\[@ngb\/llm-anthropic\] model "claude-sonnet-4-5.*" is deprecated/);
      expect(warnings[0]?.message).toContain('2026-11-30');
      expect(warnings[0]?.message).toContain('claude-sonnet-5-5');
    },
  );

  it('a current model: no warning at all', async () => {
    const { logger } = await ask('claude-sonnet-5-5');
    for (const spy of terminal) expect(spy).not.toHaveBeenCalled();
    expect(logger.lines.filter((line) => line.level === 'warn')).toEqual([]);
  });
});
