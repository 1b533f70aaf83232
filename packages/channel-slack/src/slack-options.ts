import { defineChannelManifest } from '@ngb/plugin-sdk';
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
 * How apps build the Slack channel from config: its options, the environment variable each secret
 * is read from, and a factory that loads the adapter only when the channel is enabled.
 */
export const slackManifest = defineChannelManifest<v.InferOutput<typeof slackChannelOptionsSchema>>({
  name: 'slack',
  title: 'Slack',
  optionsSchema: slackChannelOptionsSchema,
  secrets: [{ option: 'botToken', env: 'SLACK_BOT_TOKEN', description: 'the xoxb- bot token' }],
  needsPublicUrl: false,
  remote: true,
  async create(options) {
    const { createSlackChannel } = await import('./slack-channel');
    return createSlackChannel(options);
  },
});
