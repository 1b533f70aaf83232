import { type ChannelAdapter, NotSupportedError } from '@ngb/plugin-sdk';
import type { SlackChannelOptions } from './slack-options';

/**
 * The Slack channel adapter.
 * @throws NotSupportedError always, until the Slack adapter lands
 */
export function createSlackChannel(_options: SlackChannelOptions): ChannelAdapter {
  throw new NotSupportedError('[@ngb/channel-slack] the Slack channel is not built yet');
}
