export { convertToSlackMarkup, escapeSlackText } from './convert-to-slack-markup';
export { mapSlackError } from './map-slack-error';
export { createSlackChannel, type SlackChannel } from './slack-channel';
export {
  type ResolvedSlackChannelOptions,
  type SlackChannelOptions,
  slackChannelOptionsSchema,
  slackManifest as manifest,
} from './slack-options';
