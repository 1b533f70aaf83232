export { discordManifest as manifest } from './discord-options';
