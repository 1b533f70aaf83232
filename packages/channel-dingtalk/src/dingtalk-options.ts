import { defineChannelManifest } from '@ngb/plugin-sdk';
import * as v from 'valibot';

/** Options of {@link createDingTalkChannel}. */
export const dingTalkChannelOptionsSchema = v.object({
  /** Secret the app reads from `DINGTALK_CLIENT_SECRET`. */
  clientSecret: v.pipe(v.string(), v.minLength(1)),
  /** Longest message the platform accepts. */
  maxMessageLength: v.optional(v.number(), 20000),
});

/** Options of {@link createDingTalkChannel}. */
export type DingTalkChannelOptions = v.InferInput<typeof dingTalkChannelOptionsSchema>;

/**
 * How apps build the DingTalk channel from config: its options, the environment variable each secret
 * is read from, and a factory that loads the adapter only when the channel is enabled.
 */
export const dingtalkManifest = defineChannelManifest<v.InferOutput<typeof dingTalkChannelOptionsSchema>>({
  name: 'dingtalk',
  title: 'DingTalk',
  optionsSchema: dingTalkChannelOptionsSchema,
  secrets: [{ option: 'clientSecret', env: 'DINGTALK_CLIENT_SECRET', description: 'the app client secret' }],
  needsPublicUrl: false,
  remote: true,
  async create(options) {
    const { createDingTalkChannel } = await import('./dingtalk-channel');
    return createDingTalkChannel(options);
  },
});
