import type { GatewayOptions } from '@ngb/core';
import type { NgbConfig } from '../config/config-schema';

/**
 * The gateway's `streaming` option from `channels.<name>.streaming`, for the enabled channels only
 * (the gateway warns about a streaming channel that cannot edit, and it sends that one's replies whole).
 */
export function channelStreaming(config: NgbConfig): NonNullable<GatewayOptions['streaming']> {
  return Object.fromEntries(
    Object.entries(config.channels).flatMap(([name, settings]) =>
      settings.enabled && settings.streaming !== undefined ? [[name, settings.streaming]] : [],
    ),
  );
}
