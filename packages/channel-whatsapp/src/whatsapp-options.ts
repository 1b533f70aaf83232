import { defineChannelManifest } from '@ngb/plugin-sdk';
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
 * How apps build the WhatsApp channel from config: its options, the environment variable each secret
 * is read from, and a factory that loads the adapter only when the channel is enabled.
 */
export const whatsappManifest = defineChannelManifest<v.InferOutput<typeof whatsAppChannelOptionsSchema>>({
  name: 'whatsapp',
  title: 'WhatsApp',
  optionsSchema: whatsAppChannelOptionsSchema,
  secrets: [{ option: 'authDir', env: 'NGB_WHATSAPP_AUTH_DIR', description: 'the directory holding the WhatsApp Web session' }],
  needsPublicUrl: false,
  remote: true,
  async create(options) {
    const { createWhatsAppChannel } = await import('./whatsapp-channel');
    return createWhatsAppChannel(options);
  },
});
