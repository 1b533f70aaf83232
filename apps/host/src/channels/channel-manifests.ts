import { manifest as dingtalk } from '@ngb/channel-dingtalk/manifest';
import { manifest as discord } from '@ngb/channel-discord/manifest';
import { manifest as feishu } from '@ngb/channel-feishu/manifest';
import { manifest as qq } from '@ngb/channel-qq/manifest';
import { manifest as slack } from '@ngb/channel-slack/manifest';
import { manifest as telegram } from '@ngb/channel-telegram/manifest';
import { manifest as web } from '@ngb/channel-web/manifest';
import { manifest as wecom } from '@ngb/channel-wecom/manifest';
import { manifest as whatsapp } from '@ngb/channel-whatsapp/manifest';
import type { ChannelManifest } from '@ngb/plugin-sdk';

// The light `./manifest` entries: reading them loads valibot and the plugin SDK, never a platform SDK.
/** Every channel the apps build from config (`channels.<name>`), in the order they are shown. */
export const channelManifests: readonly ChannelManifest[] = [
  telegram,
  slack,
  discord,
  whatsapp,
  qq,
  feishu,
  wecom,
  dingtalk,
  web,
];
