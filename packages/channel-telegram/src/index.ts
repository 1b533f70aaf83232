export { convertToTelegramMarkup, escapeTelegramCode, escapeTelegramText, escapeTelegramUrl } from './convert-to-telegram-markup';
export { mapTelegramError } from './map-telegram-error';
export { normalizeTelegramUpdate, type TelegramNormalizeOptions } from './normalize-telegram-update';
export { createTelegramChannel, type TelegramChannel, type TelegramChannelDependencies } from './telegram-channel';
export {
  type ResolvedTelegramChannelOptions,
  type TelegramChannelOptions,
  telegramChannelOptionsSchema,
  telegramManifest as manifest,
} from './telegram-options';
