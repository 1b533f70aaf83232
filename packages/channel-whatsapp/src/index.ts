export { createWhatsAppChannel } from './whatsapp-channel';
export { type WhatsAppChannelOptions, whatsAppChannelOptionsSchema, whatsappManifest as manifest } from './whatsapp-options';
