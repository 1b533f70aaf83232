import { type ChannelAdapter, NotSupportedError } from '@ngb/plugin-sdk';
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
 * The DingTalk channel adapter.
 * @throws NotSupportedError always, until the DingTalk adapter lands
 */
export function createDingTalkChannel(_options: DingTalkChannelOptions): ChannelAdapter {
  throw new NotSupportedError('[@ngb/channel-dingtalk] the DingTalk channel is not built yet');
}
