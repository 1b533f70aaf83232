export { createDiscordChannel } from './discord-channel';
export { type DiscordChannelOptions, discordChannelOptionsSchema, discordManifest as manifest } from './discord-options';
