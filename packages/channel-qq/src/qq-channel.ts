import { type ChannelAdapter, NotSupportedError } from '@ngb/plugin-sdk';
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
 * The QQ channel adapter.
 * @throws NotSupportedError always, until the QQ adapter lands
 */
export function createQQChannel(_options: QQChannelOptions): ChannelAdapter {
  throw new NotSupportedError('[@ngb/channel-qq] the QQ channel is not built yet');
}
