import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { definePlugin } from './contracts/plugin';
import { defineTool } from './contracts/tool';
import { defineChannel } from './define-channel';
import { redactFields } from './logger';
import { createRecordingChannel } from './testing/recording-channel';

describe('define helpers', () => {
  it('defineTool checks the name', () => {
    const tool = {
      description: 'd',
      inputSchema: { type: 'object' as const },
      where: 'host' as const,
      execute: async () => ({ output: '' }),
    };
    expect(defineTool({ name: 'send_message', ...tool }).name).toBe('send_message');
    expect(() => defineTool({ name: 'Send-Message', ...tool })).toThrow(/invalid tool name/);
  });

  it('defineChannel checks name and limits and stamps the version', () => {
    const { specificationVersion: _, ...base } = createRecordingChannel();
    expect(defineChannel({ ...base, name: 'my-chat' }).specificationVersion).toBe(1);
    expect(() => defineChannel({ ...base, name: 'a:b' })).toThrow(/invalid channel name/);
    expect(() => defineChannel({ ...base, limits: { maxMessageLength: 0 } })).toThrow(/maxMessageLength/);
  });

  it('definePlugin stamps the version and refuses an empty name', () => {
    const plugin = definePlugin({ name: 'p', version: '1.0.0', configSchema: v.object({ level: v.number() }), setup: () => {} });
    expect(plugin.specificationVersion).toBe(1);
    expect(() => definePlugin({ name: ' ', version: '1', setup: () => {} })).toThrow(/needs a name/);
  });
});

describe('redactFields', () => {
  it('hides secret-looking keys at any depth and keeps the rest', () => {
    expect(
      redactFields({
        botToken: 'abc',
        nested: { apiKey: 'k', Authorization: 'Bearer x', ok: 1 },
        list: [{ password: 'p' }],
        n: null,
      }),
    ).toEqual({
      botToken: '[redacted]',
      nested: { apiKey: '[redacted]', Authorization: '[redacted]', ok: 1 },
      list: [{ password: '[redacted]' }],
      n: null,
    });
  });
});
