import { createRequire } from 'node:module';
import { createFakeTelegramServer } from '@ngb/testing';
import { describe, expect, it } from 'vitest';
import { createTelegramApi } from './telegram-api';

describe('createTelegramApi', () => {
  it('calls the Bot API through telegraf’s Telegram without loading the bot framework around it', async () => {
    const fake = await createFakeTelegramServer();
    try {
      const api = createTelegramApi({ token: fake.token, apiRoot: fake.apiRoot, onUnauthorized: () => undefined });
      expect(await api.call<{ is_bot: boolean }>('getMe', {})).toMatchObject({ is_bot: true });
      const loaded = Object.keys(createRequire(import.meta.url).cache).filter((file) => /[\\/]telegraf[\\/]lib[\\/]/.test(file));
      expect(loaded.some((file) => /[\\/]lib[\\/]telegram\.js$/.test(file))).toBe(true);
      expect(loaded.filter((file) => /[\\/]lib[\\/](index|telegraf|composer|scenes|session)\.js$/.test(file))).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});
