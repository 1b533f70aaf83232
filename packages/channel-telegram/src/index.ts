export { createTelegramChannel } from './telegram-channel';
export { type TelegramChannelOptions, telegramChannelOptionsSchema, telegramManifest as manifest } from './telegram-options';
