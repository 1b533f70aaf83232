export { createSlackChannel } from './slack-channel';
export { type SlackChannelOptions, slackChannelOptionsSchema, slackManifest as manifest } from './slack-options';
