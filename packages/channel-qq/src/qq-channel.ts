import { type ChannelAdapter, NotSupportedError } from '@ngb/plugin-sdk';
import type { QQChannelOptions } from './qq-options';

/**
 * The QQ channel adapter.
 * @throws NotSupportedError always, until the QQ adapter lands
 */
export function createQQChannel(_options: QQChannelOptions): ChannelAdapter {
  throw new NotSupportedError('[@ngb/channel-qq] the QQ channel is not built yet');
}
