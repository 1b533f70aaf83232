import type { GatewayOptions } from '@ngb/core';
import type { NgbConfig } from '../config/config-schema';
import { enabledChannels } from './create-channel';

/**
 * The gateway's `streaming` option for the enabled channels: `channels.<name>.streaming` when the config
 * sets it (`false` turns it off), else the channel's own default from its manifest (the gateway warns
 * about a streaming channel that cannot edit, and it sends that one's replies whole).
 */
export async function channelStreaming(config: NgbConfig): Promise<NonNullable<GatewayOptions['streaming']>> {
  return Object.fromEntries(
    (await enabledChannels(config)).flatMap((manifest) => {
      const streaming = config.channels[manifest.name]?.streaming ?? manifest.streamsByDefault;
      return streaming !== undefined && streaming !== false ? [[manifest.name, { ...streaming }]] : [];
    }),
  );
}
