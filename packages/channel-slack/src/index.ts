export { createSlackChannel, type SlackChannelOptions, slackChannelOptionsSchema } from './slack-channel';
