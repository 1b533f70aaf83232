import { defineChannelManifest } from '@ngb/plugin-sdk';
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
 * How apps build the Discord channel from config: its options, the environment variable each secret
 * is read from, and a factory that loads the adapter only when the channel is enabled.
 */
export const discordManifest = defineChannelManifest<v.InferOutput<typeof discordChannelOptionsSchema>>({
  name: 'discord',
  title: 'Discord',
  optionsSchema: discordChannelOptionsSchema,
  secrets: [{ option: 'botToken', env: 'DISCORD_BOT_TOKEN', description: 'the bot token' }],
  needsPublicUrl: false,
  remote: true,
  async create(options) {
    const { createDiscordChannel } = await import('./discord-channel');
    return createDiscordChannel(options);
  },
});
