import { type ChannelAdapter, NotSupportedError } from '@ngb/plugin-sdk';
import type { WebChannelOptions } from './web-options';

/**
 * The Web channel adapter.
 * @throws NotSupportedError always, until the Web adapter lands
 */
export function createWebChannel(_options: WebChannelOptions): ChannelAdapter {
  throw new NotSupportedError('[@ngb/channel-web] the Web channel is not built yet');
}
