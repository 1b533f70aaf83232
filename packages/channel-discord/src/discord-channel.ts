import { type ChannelAdapter, NotSupportedError } from '@ngb/plugin-sdk';
import * as v from 'valibot';

/** Options of {@link createDiscordChannel}. */
export const discordChannelOptionsSchema = v.object({
  /** Secret the app reads from `DISCORD_BOT_TOKEN`. */
  botToken: v.pipe(v.string(), v.minLength(1)),
  /** Longest message the platform accepts. */
  maxMessageLength: v.optional(v.number(), 2000),
});

/** Options of {@link createDiscordChannel}. */
export type DiscordChannelOptions = v.InferInput<typeof discordChannelOptionsSchema>;

/**
 * The Discord channel adapter.
 * @throws NotSupportedError always, until the Discord adapter lands
 */
export function createDiscordChannel(_options: DiscordChannelOptions): ChannelAdapter {
  throw new NotSupportedError('[@ngb/channel-discord] the Discord channel is not built yet');
}
