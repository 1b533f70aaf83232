import { type ChannelAdapter, NotSupportedError } from '@ngb/plugin-sdk';
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
 * The Feishu channel adapter.
 * @throws NotSupportedError always, until the Feishu adapter lands
 */
export function createFeishuChannel(_options: FeishuChannelOptions): ChannelAdapter {
  throw new NotSupportedError('[@ngb/channel-feishu] the Feishu channel is not built yet');
}
