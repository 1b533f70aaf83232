import { type ChannelAdapter, NotSupportedError } from '@ngb/plugin-sdk';
import type { WhatsAppChannelOptions } from './whatsapp-options';

/**
 * The WhatsApp channel adapter.
 * @throws NotSupportedError always, until the WhatsApp adapter lands
 */
export function createWhatsAppChannel(_options: WhatsAppChannelOptions): ChannelAdapter {
  throw new NotSupportedError('[@ngb/channel-whatsapp] the WhatsApp channel is not built yet');
}
