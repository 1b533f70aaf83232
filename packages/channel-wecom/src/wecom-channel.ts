import { type ChannelAdapter, NotSupportedError } from '@ngb/plugin-sdk';
import type { WeComChannelOptions } from './wecom-options';

/**
 * The WeCom channel adapter.
 * @throws NotSupportedError always, until the WeCom adapter lands
 */
export function createWeComChannel(_options: WeComChannelOptions): ChannelAdapter {
  throw new NotSupportedError('[@ngb/channel-wecom] the WeCom channel is not built yet');
}
