import { defineChannelManifest } from '@ngb/plugin-sdk';
import * as v from 'valibot';

/** Options of {@link createWeComChannel}. */
export const weComChannelOptionsSchema = v.object({
  /** Secret the app reads from `WECOM_SECRET`. */
  secret: v.pipe(v.string(), v.minLength(1)),
  /** Longest message the platform accepts. */
  maxMessageLength: v.optional(v.number(), 2048),
});

/** Options of {@link createWeComChannel}. */
export type WeComChannelOptions = v.InferInput<typeof weComChannelOptionsSchema>;

/**
 * How apps build the WeCom channel from config: its options, the environment variable each secret
 * is read from, and a factory that loads the adapter only when the channel is enabled.
 */
export const wecomManifest = defineChannelManifest<v.InferOutput<typeof weComChannelOptionsSchema>>({
  name: 'wecom',
  title: 'WeCom',
  optionsSchema: weComChannelOptionsSchema,
  secrets: [{ option: 'secret', env: 'WECOM_SECRET', description: 'the app secret' }],
  needsPublicUrl: true,
  remote: true,
  async create(options) {
    const { createWeComChannel } = await import('./wecom-channel');
    return createWeComChannel(options);
  },
});
