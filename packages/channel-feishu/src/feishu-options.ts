import { defineChannelManifest } from '@ngb/plugin-sdk';
import * as v from 'valibot';

/** Options of {@link createFeishuChannel}. */
export const feishuChannelOptionsSchema = v.object({
  /** Secret the app reads from `FEISHU_APP_SECRET`. */
  appSecret: v.pipe(v.string(), v.minLength(1)),
  /** Longest message the platform accepts. */
  maxMessageLength: v.optional(v.number(), 30000),
});

/** Options of {@link createFeishuChannel}. */
export type FeishuChannelOptions = v.InferInput<typeof feishuChannelOptionsSchema>;

/**
 * How apps build the Feishu / Lark channel from config: its options, the environment variable each secret
 * is read from, and a factory that loads the adapter only when the channel is enabled.
 */
export const feishuManifest = defineChannelManifest<v.InferOutput<typeof feishuChannelOptionsSchema>>({
  name: 'feishu',
  title: 'Feishu / Lark',
  optionsSchema: feishuChannelOptionsSchema,
  secrets: [{ option: 'appSecret', env: 'FEISHU_APP_SECRET', description: 'the app secret' }],
  needsPublicUrl: false,
  remote: true,
  async create(options) {
    const { createFeishuChannel } = await import('./feishu-channel');
    return createFeishuChannel(options);
  },
});
