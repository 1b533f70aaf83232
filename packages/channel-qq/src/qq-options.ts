import { defineChannelManifest } from '@ngb/plugin-sdk';
import * as v from 'valibot';

/** Options of {@link createQQChannel}. */
export const qQChannelOptionsSchema = v.object({
  /** Secret the app reads from `ONEBOT_URL`. */
  url: v.pipe(v.string(), v.minLength(1)),
  /** Longest message the platform accepts. */
  maxMessageLength: v.optional(v.number(), 4500),
});

/** Options of {@link createQQChannel}. */
export type QQChannelOptions = v.InferInput<typeof qQChannelOptionsSchema>;

/**
 * How apps build the QQ (OneBot v11) channel from config: its options, the environment variable each secret
 * is read from, and a factory that loads the adapter only when the channel is enabled.
 */
export const qqManifest = defineChannelManifest<v.InferOutput<typeof qQChannelOptionsSchema>>({
  name: 'qq',
  title: 'QQ (OneBot v11)',
  optionsSchema: qQChannelOptionsSchema,
  secrets: [{ option: 'url', env: 'ONEBOT_URL', description: 'the OneBot v11 endpoint' }],
  needsPublicUrl: false,
  remote: true,
  async create(options) {
    const { createQQChannel } = await import('./qq-channel');
    return createQQChannel(options);
  },
});
