import { type ChannelAdapter, NotSupportedError } from '@ngb/plugin-sdk';
import * as v from 'valibot';

/** Options of {@link createWhatsAppChannel}. */
export const whatsAppChannelOptionsSchema = v.object({
  /** Secret the app reads from `NGB_WHATSAPP_AUTH_DIR`. */
  authDir: v.pipe(v.string(), v.minLength(1)),
  /** Longest message the platform accepts. */
  maxMessageLength: v.optional(v.number(), 65536),
});

/** Options of {@link createWhatsAppChannel}. */
export type WhatsAppChannelOptions = v.InferInput<typeof whatsAppChannelOptionsSchema>;

/**
 * The WhatsApp channel adapter.
 * @throws NotSupportedError always, until the WhatsApp adapter lands
 */
export function createWhatsAppChannel(_options: WhatsAppChannelOptions): ChannelAdapter {
  throw new NotSupportedError('[@ngb/channel-whatsapp] the WhatsApp channel is not built yet');
}
