import { type ChannelAdapter, NotSupportedError } from '@ngb/plugin-sdk';
import * as v from 'valibot';

/** Options of {@link createSlackChannel}. */
export const slackChannelOptionsSchema = v.object({
  /** Secret the app reads from `SLACK_BOT_TOKEN`. */
  botToken: v.pipe(v.string(), v.minLength(1)),
  /** Longest message the platform accepts. */
  maxMessageLength: v.optional(v.number(), 40000),
});

/** Options of {@link createSlackChannel}. */
export type SlackChannelOptions = v.InferInput<typeof slackChannelOptionsSchema>;

/**
 * The Slack channel adapter.
 * @throws NotSupportedError always, until the Slack adapter lands
 */
export function createSlackChannel(_options: SlackChannelOptions): ChannelAdapter {
  throw new NotSupportedError('[@ngb/channel-slack] the Slack channel is not built yet');
}
