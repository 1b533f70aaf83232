import type { GatewayOptions } from '@ngb/core';
import type { NgbConfig } from '../config/config-schema';
import { loadChannelManifests } from './channel-manifests';

/**
 * The gateway's `streaming` option for the enabled channels: `channels.<name>.streaming` when the config
 * sets it (`false` turns it off), else the channel's own default from its manifest (the gateway warns
 * about a streaming channel that cannot edit, and it sends that one's replies whole).
 */
export async function channelStreaming(config: NgbConfig): Promise<NonNullable<GatewayOptions['streaming']>> {
  const enabled = Object.entries(config.channels).flatMap(([name, settings]) => (settings.enabled ? [name] : []));
  const channelManifests = await loadChannelManifests(enabled);
  return Object.fromEntries(
    Object.entries(config.channels).flatMap(([name, settings]) => {
      const streaming = settings.streaming ?? channelManifests.find((manifest) => manifest.name === name)?.streamsByDefault;
      return settings.enabled && streaming !== undefined && streaming !== false ? [[name, { ...streaming }]] : [];
    }),
  );
}
