export { createTelegramChannel, type TelegramChannelOptions, telegramChannelOptionsSchema } from './telegram-channel';
