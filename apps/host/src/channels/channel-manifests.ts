import type { ChannelManifest } from '@ngb/plugin-sdk';

// Each loader reads a channel package's light `./manifest` entry: valibot and the plugin SDK, never a
// platform SDK. They load on first use, not with this module: nine of them cost `ngb serve` about 25 ms
// of its start, and it needs only the ones its config enables.
const manifestLoaders: Readonly<Record<string, () => Promise<{ manifest: ChannelManifest }>>> = {
  telegram: () => import('@ngb/channel-telegram/manifest'),
  slack: () => import('@ngb/channel-slack/manifest'),
  discord: () => import('@ngb/channel-discord/manifest'),
  whatsapp: () => import('@ngb/channel-whatsapp/manifest'),
  qq: () => import('@ngb/channel-qq/manifest'),
  feishu: () => import('@ngb/channel-feishu/manifest'),
  wecom: () => import('@ngb/channel-wecom/manifest'),
  dingtalk: () => import('@ngb/channel-dingtalk/manifest'),
  web: () => import('@ngb/channel-web/manifest'),
};

/** Every channel the apps build from config (`channels.<name>`), in the order they are shown. */
export const channelNames: readonly string[] = Object.freeze(Object.keys(manifestLoaders));

/** The manifest of the channel named `name`, or undefined when no channel has that name. */
export async function loadChannelManifest(name: string): Promise<ChannelManifest | undefined> {
  const load = Object.hasOwn(manifestLoaders, name) ? manifestLoaders[name] : undefined;
  return load === undefined ? undefined : (await load()).manifest;
}

/** The manifests of the channels named (every channel by default), in the order of {@link channelNames}. */
export async function loadChannelManifests(names: readonly string[] = channelNames): Promise<ChannelManifest[]> {
  const wanted = channelNames.filter((name) => names.includes(name));
  const manifests = await Promise.all(wanted.map(loadChannelManifest));
  return manifests.filter((manifest) => manifest !== undefined);
}
