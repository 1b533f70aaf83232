import { type ChannelAdapter, NotSupportedError } from '@ngb/plugin-sdk';
import * as v from 'valibot';

/** Options of {@link createWebChannel}. */
export const webChannelOptionsSchema = v.object({
  /** Where the server app mounts the web chat. */
  path: v.pipe(v.string(), v.minLength(1)),
  /** Longest message the platform accepts. */
  maxMessageLength: v.optional(v.number(), 100000),
});

/** Options of {@link createWebChannel}. */
export type WebChannelOptions = v.InferInput<typeof webChannelOptionsSchema>;

/**
 * The Web channel adapter.
 * @throws NotSupportedError always, until the Web adapter lands
 */
export function createWebChannel(_options: WebChannelOptions): ChannelAdapter {
  throw new NotSupportedError('[@ngb/channel-web] the Web channel is not built yet');
}
