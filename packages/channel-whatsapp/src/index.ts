export { convertToWhatsAppMarkup, escapeWhatsAppText } from './convert-to-whatsapp-markup';
export { mapWhatsAppError } from './map-whatsapp-error';
export { createWhatsAppChannel, type WhatsAppChannelDependencies } from './whatsapp-channel';
export type { WhatsAppCloudChannel } from './whatsapp-cloud-channel';
export {
  type ResolvedWhatsAppChannelOptions,
  type WhatsAppChannelOptions,
  whatsAppChannelOptionsSchema,
  whatsappManifest as manifest,
} from './whatsapp-options';
export type { WhatsAppWebChannel, WhatsAppWebDependencies } from './whatsapp-web-channel';
export type { CreateWhatsAppWebSocket, DownloadWhatsAppWebMedia, WhatsAppWebSocket } from './whatsapp-web-socket';
