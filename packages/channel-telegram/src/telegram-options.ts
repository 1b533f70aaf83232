import { defineChannelManifest } from '@ngb/plugin-sdk';
import * as v from 'valibot';

/** Options of {@link createTelegramChannel}. */
export const telegramChannelOptionsSchema = v.object({
  /** Secret the app reads from `TELEGRAM_BOT_TOKEN`. */
  botToken: v.pipe(v.string(), v.minLength(1)),
  /** Longest message the platform accepts. */
  maxMessageLength: v.optional(v.number(), 4096),
});

/** Options of {@link createTelegramChannel}. */
export type TelegramChannelOptions = v.InferInput<typeof telegramChannelOptionsSchema>;

/**
 * How apps build the Telegram channel from config: its options, the environment variable each secret
 * is read from, and a factory that loads the adapter only when the channel is enabled.
 */
export const telegramManifest = defineChannelManifest<v.InferOutput<typeof telegramChannelOptionsSchema>>({
  name: 'telegram',
  title: 'Telegram',
  optionsSchema: telegramChannelOptionsSchema,
  secrets: [{ option: 'botToken', env: 'TELEGRAM_BOT_TOKEN', description: 'the bot token from @BotFather' }],
  needsPublicUrl: false,
  remote: true,
  async create(options) {
    const { createTelegramChannel } = await import('./telegram-channel');
    return createTelegramChannel(options);
  },
});
