import { type ChannelAdapter, NotSupportedError } from '@ngb/plugin-sdk';
import type { TelegramChannelOptions } from './telegram-options';

/**
 * The Telegram channel adapter.
 * @throws NotSupportedError always, until the Telegram adapter lands
 */
export function createTelegramChannel(_options: TelegramChannelOptions): ChannelAdapter {
  throw new NotSupportedError('[@ngb/channel-telegram] the Telegram channel is not built yet');
}
