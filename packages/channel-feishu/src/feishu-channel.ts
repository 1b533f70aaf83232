import { type ChannelAdapter, NotSupportedError } from '@ngb/plugin-sdk';
import type { FeishuChannelOptions } from './feishu-options';

/**
 * The Feishu channel adapter.
 * @throws NotSupportedError always, until the Feishu adapter lands
 */
export function createFeishuChannel(_options: FeishuChannelOptions): ChannelAdapter {
  throw new NotSupportedError('[@ngb/channel-feishu] the Feishu channel is not built yet');
}
