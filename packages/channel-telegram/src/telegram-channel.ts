import { type ChannelAdapter, NotSupportedError } from '@ngb/plugin-sdk';
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
 * The Telegram channel adapter.
 * @throws NotSupportedError always, until the Telegram adapter lands
 */
export function createTelegramChannel(_options: TelegramChannelOptions): ChannelAdapter {
  throw new NotSupportedError('[@ngb/channel-telegram] the Telegram channel is not built yet');
}
