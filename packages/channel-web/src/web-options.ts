import { defineChannelManifest } from '@ngb/plugin-sdk';
import * as v from 'valibot';

/** Options of {@link createWebChannel}. */
export const webChannelOptionsSchema = v.object({
  /** Where the server app mounts the web chat. */
  path: v.optional(v.pipe(v.string(), v.minLength(1)), '/chat'),
  /** Longest message the platform accepts. */
  maxMessageLength: v.optional(v.number(), 100000),
});

/** Options of {@link createWebChannel}. */
export type WebChannelOptions = v.InferInput<typeof webChannelOptionsSchema>;

/**
 * How apps build the Web chat channel from config: its options, the environment variable each secret
 * is read from, and a factory that loads the adapter only when the channel is enabled.
 */
export const webManifest = defineChannelManifest<v.InferOutput<typeof webChannelOptionsSchema>>({
  name: 'web',
  title: 'Web chat',
  optionsSchema: webChannelOptionsSchema,
  secrets: [],
  needsPublicUrl: false,
  remote: false,
  async create(options) {
    const { createWebChannel } = await import('./web-channel');
    return createWebChannel(options);
  },
});
