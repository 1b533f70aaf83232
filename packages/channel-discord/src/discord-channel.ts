import { type ChannelAdapter, NotSupportedError } from '@ngb/plugin-sdk';
import type { DiscordChannelOptions } from './discord-options';

/**
 * The Discord channel adapter.
 * @throws NotSupportedError always, until the Discord adapter lands
 */
export function createDiscordChannel(_options: DiscordChannelOptions): ChannelAdapter {
  throw new NotSupportedError('[@ngb/channel-discord] the Discord channel is not built yet');
}
