import { channelOptions, type Env, type NgbConfig, parseChannelOptions } from '@ngb/host';
import { type ChannelManifest, ConfigError, errorMessage, NotSupportedError } from '@ngb/plugin-sdk';

/** What is known about one channel without connecting it. */
export interface ChannelReport {
  name: string;
  title: string;
  configured: boolean;
  enabled: boolean;
  /** Variables that must be set and are not. */
  missing: string[];
  /** `ready`, `not built yet`, `needs config` (not configured yet), or the complaint of its options or its factory. */
  adapter: string;
}

/** Checks a channel: config, secrets, and whether its manifest builds the adapter (it does not connect). */
export async function inspectChannel(manifest: ChannelManifest, config: NgbConfig, env: Env): Promise<ChannelReport> {
  const settings = config.channels[manifest.name];
  const { options, missing } = channelOptions(manifest, config, env);
  let adapter = 'ready';
  try {
    // Placeholders stand in for missing secrets: this only asks whether the adapter exists.
    const probe = { ...options };
    // 43 letters and digits: long enough for any length rule, and the shape of WeCom's AES key.
    for (const secret of manifest.secrets) probe[secret.option] ??= 'placeholder'.padEnd(43, '0');
    // Building an adapter touches no file: the state directory `ngb serve` would create is only named.
    await manifest.create(parseChannelOptions(manifest, probe), { stateDirectory: `(channels/${manifest.name})` });
  } catch (error) {
    // Before any config, a complaint about a placeholder or a missing id says nothing new.
    if (NotSupportedError.isInstance(error)) adapter = 'not built yet';
    else adapter = settings === undefined && ConfigError.isInstance(error) ? 'needs config' : errorMessage(error);
  }
  return {
    name: manifest.name,
    title: manifest.title,
    configured: settings !== undefined,
    enabled: settings?.enabled === true,
    missing,
    adapter,
  };
}
