export { createWhatsAppChannel, type WhatsAppChannelOptions, whatsAppChannelOptionsSchema } from './whatsapp-channel';
