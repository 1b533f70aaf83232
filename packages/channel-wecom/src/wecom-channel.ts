import { type ChannelAdapter, NotSupportedError } from '@ngb/plugin-sdk';
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
 * The WeCom channel adapter.
 * @throws NotSupportedError always, until the WeCom adapter lands
 */
export function createWeComChannel(_options: WeComChannelOptions): ChannelAdapter {
  throw new NotSupportedError('[@ngb/channel-wecom] the WeCom channel is not built yet');
}
