import { errorMessage, NotSupportedError } from '@ngb/plugin-sdk';
import { channelCatalog, channelOptions } from '../compose/channel-catalog';
import type { ChannelName, NgbConfig } from '../config/config-schema';
import type { Env } from '../config/load-config';

/** What is known about one channel without connecting it. */
export interface ChannelReport {
  name: ChannelName;
  title: string;
  configured: boolean;
  enabled: boolean;
  /** Variables that must be set and are not. */
  missing: string[];
  /** `ready`, `not built yet`, or the factory's complaint. */
  adapter: string;
}

/** Checks a channel: config, secrets, and whether its factory builds (it does not connect). */
export async function inspectChannel(name: ChannelName, config: NgbConfig, env: Env): Promise<ChannelReport> {
  const info = channelCatalog[name];
  const settings = config.channels[name];
  const { options, missing } = channelOptions(name, config, env);
  let adapter = 'ready';
  try {
    const factory = await info.load();
    // Placeholders stand in for missing secrets: this only asks whether the adapter exists.
    const probe = { ...options };
    for (const entry of info.fromEnv) probe[entry.option] ??= 'placeholder';
    factory(probe as never);
  } catch (error) {
    adapter = NotSupportedError.isInstance(error) ? 'not built yet' : errorMessage(error);
  }
  return { name, title: info.title, configured: settings !== undefined, enabled: settings?.enabled === true, missing, adapter };
}
