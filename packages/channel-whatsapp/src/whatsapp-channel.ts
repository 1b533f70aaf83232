import { ConfigError, parseOptions } from '@ngb/plugin-sdk';
import { createWhatsAppCloudChannel, type WhatsAppCloudChannel } from './whatsapp-cloud-channel';
import { type WhatsAppChannelOptions, whatsAppChannelOptionsSchema } from './whatsapp-options';
import { createWhatsAppWebChannel, type WhatsAppWebChannel, type WhatsAppWebDependencies } from './whatsapp-web-channel';

/** What the host (and tests) give besides the options. */
export interface WhatsAppChannelDependencies extends WhatsAppWebDependencies {
  /** The channel's own state directory (the host's `<data>/channels/whatsapp`); the `web` mode keeps its keys there. */
  stateDirectory?: string;
}

const prefix = '[@ngb/channel-whatsapp]';

/**
 * Creates the WhatsApp channel: the Cloud API (`mode: 'cloud'`, the default) or WhatsApp Web through
 * Baileys (`mode: 'web'`, loaded only when that channel starts).
 * @throws ConfigError naming the option when the options are invalid or the mode lacks what it needs
 */
export function createWhatsAppChannel(
  input: WhatsAppChannelOptions,
  dependencies: WhatsAppChannelDependencies = {},
): WhatsAppCloudChannel | WhatsAppWebChannel {
  const options = parseOptions(whatsAppChannelOptionsSchema, input, prefix);
  if (options.mode === 'cloud') return createWhatsAppCloudChannel(options);
  const authDirectory =
    options.authDirectory ?? (dependencies.stateDirectory === undefined ? undefined : `${dependencies.stateDirectory}/auth`);
  if (authDirectory === undefined) {
    throw new ConfigError(`${prefix} the web mode needs a directory for its keys: set \`authDirectory\``, {
      key: 'authDirectory',
    });
  }
  return createWhatsAppWebChannel({ ...options, authDirectory }, dependencies);
}
