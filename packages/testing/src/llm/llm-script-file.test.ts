import { describe, expect, it } from 'vitest';
import { parseLlmScript } from './llm-script-file';

describe('script files', () => {
  it('reads an array of steps or { steps }', () => {
    const steps = [
      { type: 'reply', text: ['a', 'b'], toolCalls: [{ name: 'bash', input: { command: 'ls' } }], chunkDelayMs: 5 },
      { type: 'error', status: 429, retryAfterMs: 100 },
    ];
    expect(parseLlmScript(JSON.stringify(steps), 's.json')).toEqual(steps);
    expect(parseLlmScript(JSON.stringify({ steps }), 's.json')).toEqual(steps);
  });

  it('names the file and the path of an invalid value', () => {
    const text = JSON.stringify([
      { type: 'reply', text: 'ok' },
      { type: 'reply', fault: { kind: 'explode' } },
    ]);
    expect(() => parseLlmScript(text, 'bad.json')).toThrow(/^bad\.json at steps\.1\.fault\.kind: /);
  });

  it('refuses unknown keys and text that is not JSON', () => {
    expect(() => parseLlmScript('[{"type":"reply","txt":"typo"}]', 'k.json')).toThrow(/k\.json at steps\.0\.txt/);
    expect(() => parseLlmScript('[{', 'j.json')).toThrow(/^j\.json is not valid JSON/);
  });
});
