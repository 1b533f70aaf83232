export { createDiscordChannel, type DiscordChannelOptions, discordChannelOptionsSchema } from './discord-channel';
