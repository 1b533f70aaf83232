import type { GatewayOptions } from '@ngb/core';
import type { NgbConfig } from '../config/config-schema';

type StreamingSettings = NonNullable<GatewayOptions['streaming']>[string];

// Channels whose replies stream unless `channels.<name>.streaming` says how: the web chat, whose
// edits cost no platform rate limit and whose page renders them live.
const streamingByDefault: Readonly<Record<string, StreamingSettings>> = { web: {} };

/**
 * The gateway's `streaming` option from `channels.<name>.streaming` (or the channel's default), for the
 * enabled channels only (the gateway warns about a streaming channel that cannot edit, and it sends that
 * one's replies whole).
 */
export function channelStreaming(config: NgbConfig): NonNullable<GatewayOptions['streaming']> {
  return Object.fromEntries(
    Object.entries(config.channels).flatMap(([name, settings]) => {
      const streaming = settings.streaming ?? streamingByDefault[name];
      return settings.enabled && streaming !== undefined ? [[name, streaming]] : [];
    }),
  );
}
