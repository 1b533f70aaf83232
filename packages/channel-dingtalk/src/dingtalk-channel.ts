import { type ChannelAdapter, NotSupportedError } from '@ngb/plugin-sdk';
import type { DingTalkChannelOptions } from './dingtalk-options';

/**
 * The DingTalk channel adapter.
 * @throws NotSupportedError always, until the DingTalk adapter lands
 */
export function createDingTalkChannel(_options: DingTalkChannelOptions): ChannelAdapter {
  throw new NotSupportedError('[@ngb/channel-dingtalk] the DingTalk channel is not built yet');
}
