export { whatsappManifest as manifest } from './whatsapp-options';
