export { createDiscordChannel, type DiscordChannel } from './discord-channel';
export {
  type DiscordChannelOptions,
  discordChannelOptionsSchema,
  discordManifest as manifest,
  type ResolvedDiscordChannelOptions,
} from './discord-options';
