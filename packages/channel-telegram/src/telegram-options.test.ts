import { ConfigError } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { createTelegramChannel } from './telegram-channel';
import { telegramChannelOptionsSchema, telegramManifest } from './telegram-options';

const token = '123456:AAE-token_value';
const configErrorOf = (options: Record<string, unknown>) => {
  try {
    createTelegramChannel(options as never);
  } catch (error) {
    return ConfigError.isInstance(error) ? { key: error.key, message: error.message } : error;
  }
  return undefined;
};

describe('Telegram options', () => {
  it('keeps a trailing slash on apiRoot, so telegraf keeps its path prefix', () => {
    expect(v.parse(telegramChannelOptionsSchema, { botToken: token, apiRoot: 'https://tg.example/prefix' }).apiRoot).toBe(
      'https://tg.example/prefix/',
    );
    expect(v.parse(telegramChannelOptionsSchema, { botToken: token }).apiRoot).toBe('https://api.telegram.org/');
  });

  it('refuses to send the token over plain http beyond this machine', () => {
    expect(configErrorOf({ botToken: token, apiRoot: 'http://tg.example/' })).toMatchObject({ key: 'apiRoot' });
    expect(configErrorOf({ botToken: token, apiRoot: 'http://127.0.0.1:8081/' })).toBeUndefined();
  });

  it('needs the public URL and the secret in webhook mode, naming them', () => {
    expect(configErrorOf({ botToken: token, mode: 'webhook', webhookSecret: 'abc' })).toMatchObject({
      key: 'webhookUrl',
      message: '[@ngb/channel-telegram] option "webhookUrl" is invalid: is required when mode is "webhook"',
    });
    expect(
      configErrorOf({ botToken: token, mode: 'webhook', webhookUrl: 'https://bot.example/channels/telegram/webhook' }),
    ).toMatchObject({
      key: 'webhookSecret',
    });
    expect(
      configErrorOf({ botToken: token, mode: 'webhook', webhookUrl: 'https://b.example/h', webhookSecret: 'not allowed!' }),
    ).toMatchObject({
      key: 'webhookSecret',
    });
  });

  it('refuses a token with spaces and a length limit above Telegram', () => {
    expect(configErrorOf({ botToken: '123 456' })).toMatchObject({ key: 'botToken' });
    expect(configErrorOf({ botToken: token, maxMessageLength: 5000 })).toMatchObject({ key: 'maxMessageLength' });
  });

  it('declares its secrets, streaming within the edit rate limit, and builds the adapter lazily', async () => {
    expect(telegramManifest.secrets.map((secret) => secret.env)).toEqual(['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET']);
    expect(telegramManifest.streamsByDefault?.editIntervalMs).toBeGreaterThanOrEqual(1_500);
    const adapter = await telegramManifest.create(v.parse(telegramChannelOptionsSchema, { botToken: token }));
    expect(adapter.limits.maxMessageLength).toBe(4096);
  });
});
