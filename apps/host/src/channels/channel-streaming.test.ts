import { join } from 'node:path';
import { ConfigError } from '@ngb/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load-config';
import { loadChannelManifest } from './channel-manifests';
import { channelStreaming } from './channel-streaming';
import { channelOptions } from './create-channel';

const configOf = (channels: object) => parseConfig(JSON.stringify({ channels }), join('/project', 'ngb.config.json')).config;

describe('channels.<name>.streaming', () => {
  it('is off unless a channel sets it, and maps to the gateway option for the enabled channels only', async () => {
    expect(await channelStreaming(configOf({ qq: { url: 'ws://127.0.0.1:3001' } }))).toEqual({});
    const config = configOf({
      telegram: { streaming: { editIntervalMs: 2_000 } },
      slack: { streaming: {} },
      discord: { enabled: false, streaming: {} },
    });
    expect(await channelStreaming(config)).toEqual({ telegram: { editIntervalMs: 2_000 }, slack: {} });
  });

  it('streams the web chat by default, with its own settings when it sets them, and only when it is enabled', async () => {
    expect(await channelStreaming(configOf({ web: {} }))).toEqual({ web: {} });
    expect(await channelStreaming(configOf({ web: { streaming: { editIntervalMs: 500 } } }))).toEqual({
      web: { editIntervalMs: 500 },
    });
    expect(await channelStreaming(configOf({ web: { enabled: false } }))).toEqual({});
  });

  it('`streaming: false` turns off a channel that streams by default', async () => {
    expect(await channelStreaming(configOf({ web: { streaming: false } }))).toEqual({});
    expect(await channelStreaming(configOf({ telegram: { streaming: false } }))).toEqual({});
  });

  it('streams Telegram by default, editing no more often than its rate limit allows', async () => {
    expect(await channelStreaming(configOf({ telegram: {} }))).toEqual({ telegram: { editIntervalMs: 2_000 } });
  });

  it('never reaches the adapter as one of its options', async () => {
    const telegram = await loadChannelManifest('telegram');
    if (!telegram) throw new Error('no telegram manifest');
    const { options } = channelOptions(telegram, configOf({ telegram: { streaming: {}, pollingTimeout: 5 } }), {});
    expect(options).not.toHaveProperty('streaming');
    expect(options).toHaveProperty('pollingTimeout', 5);
  });

  it.each([
    ['{"telegram":{"streaming":true}}', 'channels.telegram.streaming', 'must be false or an object'],
    ['{"telegram":{"streaming":[]}}', 'channels.telegram.streaming', 'must be false or an object'],
    ['{"telegram":{"streaming":{"editIntervalMs":0}}}', 'channels.telegram.streaming.editIntervalMs', 'must be at least 1'],
    ['{"telegram":{"streaming":{"firstAfterMs":3000000000}}}', 'channels.telegram.streaming.firstAfterMs', 'must be at most'],
  ])('refuses %s naming %s', (channels, key, message) => {
    let refused: unknown;
    try {
      parseConfig(`{"channels":${channels}}`, join('/project', 'ngb.config.json'));
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ConfigError);
    expect(refused).toMatchObject({ key, message: expect.stringContaining(message) });
  });
});
