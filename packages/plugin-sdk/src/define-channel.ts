import type { ChannelAdapter } from './contracts/channel';

/**
 * Declares a channel adapter, checking its name and limits.
 * @throws TypeError for an empty name, a name with `:` or `%`, or a non-positive max length
 */
export function defineChannel<T extends Omit<ChannelAdapter, 'specificationVersion'>>(adapter: T): T & ChannelAdapter {
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(adapter.name)) {
    throw new TypeError(`[@ngb/plugin-sdk] invalid channel name "${adapter.name}": use lower case letters, digits and -`);
  }
  if (!(adapter.limits.maxMessageLength > 0)) {
    throw new TypeError(`[@ngb/plugin-sdk] channel "${adapter.name}": limits.maxMessageLength must be positive`);
  }
  return Object.assign(adapter, { specificationVersion: 1 as const });
}
