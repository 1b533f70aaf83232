import { channelOptions, type Env, type NgbConfig, parseChannelOptions } from '@ngb/host';
import { type ChannelManifest, errorMessage, NotSupportedError } from '@ngb/plugin-sdk';

/** What is known about one channel without connecting it. */
export interface ChannelReport {
  name: string;
  title: string;
  configured: boolean;
  enabled: boolean;
  /** Variables that must be set and are not. */
  missing: string[];
  /** `ready`, `not built yet`, or the complaint of its options or its factory. */
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
    for (const secret of manifest.secrets) probe[secret.option] ??= 'placeholder';
    await manifest.create(parseChannelOptions(manifest, probe));
  } catch (error) {
    adapter = NotSupportedError.isInstance(error) ? 'not built yet' : errorMessage(error);
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
