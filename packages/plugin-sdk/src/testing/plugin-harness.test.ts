import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { definePlugin } from '../contracts/plugin';
import { defineTool } from '../contracts/tool';
import { ConfigError } from '../errors';
import { setUpPlugin } from './plugin-harness';

const disposed: string[] = [];
const plugin = definePlugin({
  name: 'shout',
  version: '1.0.0',
  configSchema: v.object({ suffix: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty')), '!') }),
  setup(api) {
    api.logger.info('ready');
    api.on('message:sending', ({ message }) => ({ ...message, text: `${message.text.toUpperCase()}${api.config.suffix}` }));
    api.registerTool(
      defineTool({
        name: 'shout',
        description: 'Shouts',
        inputSchema: { type: 'object', properties: { text: { type: 'string' } } },
        where: 'host',
        execute: async (input) => ({ output: String(input.text).toUpperCase() }),
      }),
    );
    return () => void disposed.push(api.name);
  },
});

describe('setUpPlugin', () => {
  it('parses the config with the plugin schema, records what setup registered, and disposes', async () => {
    const harness = await setUpPlugin(plugin, { config: { suffix: '?!' } });
    expect(harness.config).toEqual({ suffix: '?!' });
    expect(harness.logger.lines).toEqual([{ level: 'info', tag: 'shout', message: 'ready', fields: undefined }]);
    const [sending] = harness.handlers('message:sending');
    const address = { channel: 'web', chatId: '1' };
    expect(await sending?.({ address, message: { text: 'hi', format: 'plain' } })).toEqual({ text: 'HI?!', format: 'plain' });
    expect(harness.handlers('message:received')).toEqual([]);
    expect(harness.tools.map((tool) => tool.name)).toEqual(['shout']);
    expect(() => harness.tool('whisper')).toThrow('plugin "shout" registered no tool "whisper" (it registered: shout)');
    await harness.dispose();
    expect(disposed).toEqual(['shout']);
  });

  it('applies the schema defaults, and refuses a config the schema refuses, naming the key as the gateway does', async () => {
    expect((await setUpPlugin(plugin)).config).toEqual({ suffix: '!' });
    const refused = await setUpPlugin(plugin, { config: { suffix: '' } }).catch((error: unknown) => error);
    expect(ConfigError.isInstance(refused)).toBe(true);
    expect(refused).toMatchObject({
      key: 'plugins.shout.suffix',
      message: '[@ngb/plugin-sdk] plugin "shout": config key "suffix" (plugins.shout.suffix): must not be empty',
    });
  });
});
