import { mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChannelCreateContext, ConfigError, defineChannelManifest, NotSupportedError } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load-config';
import { channelNames, loadChannelManifest, loadChannelManifests } from './channel-manifests';
import { channelOptions, createChannel, enabledChannels } from './create-channel';

const channelManifests = await loadChannelManifests();
const configOf = (channels: object) => parseConfig(JSON.stringify({ channels }), join('/project', 'ngb.config.json')).config;
const manifestOf = (name: string) => {
  const manifest = channelManifests.find((candidate) => candidate.name === name);
  if (manifest === undefined) throw new Error(`no manifest ${name}`);
  return manifest;
};

async function refusal(promise: Promise<unknown>): Promise<Error & { key?: string }> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: Error & { key?: string }) => error,
  );
}

describe('channels built from config through their manifests', () => {
  it('knows every channel package, and the config accepts exactly their names', () => {
    // The names are known without loading a manifest; each is its manifest's own name.
    expect(channelManifests.map((manifest) => manifest.name)).toEqual(channelNames);
    expect(channelNames).toEqual(['telegram', 'slack', 'discord', 'whatsapp', 'qq', 'feishu', 'wecom', 'dingtalk', 'web']);
    expect(() => configOf({ irc: { enabled: true } })).toThrow(/key "channels.irc" must be one of telegram, slack, discord/);
  });

  it('loads one manifest by name, and none for a name no channel has (inherited names included)', async () => {
    expect((await loadChannelManifest('slack'))?.name).toBe('slack');
    for (const name of ['irc', 'constructor', '__proto__', 'toString', ''])
      expect(await loadChannelManifest(name)).toBeUndefined();
    expect((await loadChannelManifests(['web', 'irc', 'telegram'])).map((manifest) => manifest.name)).toEqual([
      'telegram',
      'web',
    ]);
  });

  it('enables the channels the config enables, in config order', async () => {
    const config = configOf({ slack: { enabled: true }, telegram: {}, discord: { enabled: false } });
    expect((await enabledChannels(config)).map((manifest) => manifest.name)).toEqual(['slack', 'telegram']);
  });

  it('fills each secret from its variable (over the config) and names the variables that are missing', () => {
    const config = configOf({ telegram: { botToken: 'from-config', maxMessageLength: 100 }, discord: {} });
    expect(channelOptions(manifestOf('telegram'), config, { TELEGRAM_BOT_TOKEN: 'from-env' })).toEqual({
      options: { botToken: 'from-env', maxMessageLength: 100 },
      missing: [],
    });
    expect(channelOptions(manifestOf('discord'), config, {}).missing).toEqual(['DISCORD_BOT_TOKEN (the bot token)']);
  });

  it('leaves out an optional secret whose variable is unset, and fills it when set', () => {
    const manifest = {
      ...manifestOf('discord'),
      secrets: [
        { option: 'botToken', env: 'BOT_TOKEN', description: 'the token' },
        { option: 'signingSecret', env: 'SIGNING_SECRET', description: 'the secret', optional: true },
      ],
    };
    const config = configOf({ discord: {} });
    expect(channelOptions(manifest, config, { BOT_TOKEN: 't' })).toEqual({ options: { botToken: 't' }, missing: [] });
    expect(channelOptions(manifest, config, { BOT_TOKEN: 't', SIGNING_SECRET: 's' }).options).toEqual({
      botToken: 't',
      signingSecret: 's',
    });
    expect(channelOptions(manifest, config, {}).missing).toEqual(['BOT_TOKEN (the token)']);
  });

  it('refuses a missing secret naming its variable, and a bad option naming its key but never the secret', async () => {
    const missing = await refusal(createChannel(manifestOf('discord'), configOf({ discord: {} }), {}));
    expect(ConfigError.isInstance(missing)).toBe(true);
    expect(missing.message).toBe(
      'channel "discord" is enabled in ngb.config.json but DISCORD_BOT_TOKEN (the bot token) is not set',
    );
    const bad = await refusal(
      createChannel(manifestOf('telegram'), configOf({ telegram: { maxMessageLength: 'long' } }), {
        TELEGRAM_BOT_TOKEN: '123:secret-token',
      }),
    );
    expect(ConfigError.isInstance(bad)).toBe(true);
    expect(bad.key).toBe('channels.telegram.maxMessageLength');
    expect(bad.message).toContain('channel "telegram": key "channels.telegram.maxMessageLength" is invalid');
    expect(bad.message).not.toContain('secret-token');
  });

  it('says how to run without a channel whose adapter is not built yet', async () => {
    // An adapter that is only partly built says so with NotSupportedError when it is created.
    const unfinished = {
      ...manifestOf('telegram'),
      create: async () => {
        throw new NotSupportedError('[@ngb/channel-telegram] not built yet');
      },
    };
    const error = await refusal(createChannel(unfinished, configOf({ telegram: {} }), { TELEGRAM_BOT_TOKEN: '1:t' }));
    expect(NotSupportedError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      'channel "telegram" is enabled in ngb.config.json, but the Telegram adapter is not built yet; set "channels.telegram.enabled": false to run without it',
    );
  });

  it('gives a channel its own state directory (mode 0700) under the channels directory, and refuses a symlink there', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ngb-channel-state-'));
    try {
      const contexts: Array<ChannelCreateContext | undefined> = [];
      const manifest = defineChannelManifest<Record<string, never>>({
        name: 'telegram',
        title: 'Probe',
        optionsSchema: v.object({}),
        secrets: [],
        needsPublicUrl: false,
        remote: false,
        async create(_options, context) {
          contexts.push(context);
          throw new NotSupportedError('[probe] nothing to build');
        },
      });
      await refusal(createChannel(manifest, configOf({ telegram: {} }), {}, undefined, join(root, 'channels')));
      expect(contexts).toEqual([{ stateDirectory: join(root, 'channels', 'telegram') }]);
      expect(statSync(join(root, 'channels', 'telegram')).mode & 0o777).toBe(0o700);
      await refusal(createChannel(manifest, configOf({ telegram: {} }), {}));
      expect(contexts[1]).toBeUndefined();

      rmSync(join(root, 'channels', 'telegram'), { recursive: true });
      symlinkSync(root, join(root, 'channels', 'telegram'));
      const refused = await refusal(createChannel(manifest, configOf({ telegram: {} }), {}, undefined, join(root, 'channels')));
      expect(ConfigError.isInstance(refused)).toBe(true);
      expect(refused.message).toContain('is not a plain directory');
      expect(contexts).toHaveLength(2);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
