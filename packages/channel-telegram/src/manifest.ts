export { telegramManifest as manifest } from './telegram-options';
