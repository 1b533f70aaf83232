import { type ChannelAdapter, ConfigError } from '@ngb/plugin-sdk';

/**
 * Refuses a channel whose limits the core cannot split outbound text by, when the channel is
 * registered, rather than with a throw at its first send.
 * @throws ConfigError naming the channel when `limits.maxMessageLength` is not a whole number of at least 2,
 *   or `limits.maxMessageBytes` is set and not one of at least 4
 */
export function checkChannelLimits(channel: ChannelAdapter): void {
  const bytes: unknown = channel.limits?.maxMessageBytes;
  if (bytes !== undefined && !(typeof bytes === 'number' && Number.isInteger(bytes) && bytes >= 4)) {
    throw new ConfigError(
      `[@ngb/core] channel "${channel.name}": limits.maxMessageBytes must be a whole number of at least 4 (UTF-8 bytes per message), got ${String(bytes)}`,
      { key: `channels.${channel.name}.limits.maxMessageBytes` },
    );
  }
  const limit: unknown = channel.limits?.maxMessageLength;
  if (typeof limit === 'number' && Number.isInteger(limit) && limit >= 2) return;
  throw new ConfigError(
    `[@ngb/core] channel "${channel.name}": limits.maxMessageLength must be a whole number of at least 2 (UTF-16 units per message), got ${String(limit)}`,
    { key: `channels.${channel.name}.limits.maxMessageLength` },
  );
}
