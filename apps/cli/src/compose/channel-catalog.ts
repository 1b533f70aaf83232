import { type ChannelAdapter, ConfigError, NgbError, NotSupportedError } from '@ngb/plugin-sdk';
import type { ChannelName, NgbConfig } from '../config/config-schema';
import type { Env } from '../config/load-config';

type ChannelFactory = (options: never) => ChannelAdapter;

/** What the CLI knows about a channel: its title, where its secrets come from, how to load it. */
export interface ChannelInfo {
  title: string;
  /** True when people outside this machine reach the agent through it. */
  remote: boolean;
  /** Options filled from the environment (secrets never live in the config file). */
  fromEnv: Array<{ option: string; variable: string; what: string }>;
  load: () => Promise<ChannelFactory>;
}

/** Every channel `serve` can compose. */
export const channelCatalog: Record<ChannelName, ChannelInfo> = {
  telegram: {
    title: 'Telegram',
    remote: true,
    fromEnv: [{ option: 'botToken', variable: 'TELEGRAM_BOT_TOKEN', what: 'the bot token from @BotFather' }],
    load: () => import('@ngb/channel-telegram').then((module) => module.createTelegramChannel as ChannelFactory),
  },
  slack: {
    title: 'Slack',
    remote: true,
    fromEnv: [{ option: 'botToken', variable: 'SLACK_BOT_TOKEN', what: 'the xoxb- bot token' }],
    load: () => import('@ngb/channel-slack').then((module) => module.createSlackChannel as ChannelFactory),
  },
  discord: {
    title: 'Discord',
    remote: true,
    fromEnv: [{ option: 'botToken', variable: 'DISCORD_BOT_TOKEN', what: 'the bot token' }],
    load: () => import('@ngb/channel-discord').then((module) => module.createDiscordChannel as ChannelFactory),
  },
  whatsapp: {
    title: 'WhatsApp',
    remote: true,
    fromEnv: [{ option: 'authDir', variable: 'NGB_WHATSAPP_AUTH_DIR', what: 'the directory holding the WhatsApp Web session' }],
    load: () => import('@ngb/channel-whatsapp').then((module) => module.createWhatsAppChannel as ChannelFactory),
  },
  qq: {
    title: 'QQ (OneBot v11)',
    remote: true,
    fromEnv: [{ option: 'url', variable: 'ONEBOT_URL', what: 'the OneBot v11 endpoint' }],
    load: () => import('@ngb/channel-qq').then((module) => module.createQQChannel as ChannelFactory),
  },
  feishu: {
    title: 'Feishu / Lark',
    remote: true,
    fromEnv: [{ option: 'appSecret', variable: 'FEISHU_APP_SECRET', what: 'the app secret' }],
    load: () => import('@ngb/channel-feishu').then((module) => module.createFeishuChannel as ChannelFactory),
  },
  wecom: {
    title: 'WeCom',
    remote: true,
    fromEnv: [{ option: 'secret', variable: 'WECOM_SECRET', what: 'the app secret' }],
    load: () => import('@ngb/channel-wecom').then((module) => module.createWeComChannel as ChannelFactory),
  },
  dingtalk: {
    title: 'DingTalk',
    remote: true,
    fromEnv: [{ option: 'clientSecret', variable: 'DINGTALK_CLIENT_SECRET', what: 'the app client secret' }],
    load: () => import('@ngb/channel-dingtalk').then((module) => module.createDingTalkChannel as ChannelFactory),
  },
  web: {
    title: 'Web chat',
    remote: false,
    fromEnv: [],
    load: () => import('@ngb/channel-web').then((module) => module.createWebChannel as ChannelFactory),
  },
};

/** The channels the config enables, in config order. */
export function enabledChannels(config: NgbConfig): ChannelName[] {
  return (Object.entries(config.channels) as Array<[ChannelName, { enabled: boolean }]>)
    .filter(([, settings]) => settings.enabled)
    .map(([name]) => name);
}

/** The options a channel factory gets: the config's settings plus secrets from the environment. */
export function channelOptions(
  name: ChannelName,
  config: NgbConfig,
  env: Env,
): { options: Record<string, unknown>; missing: string[] } {
  const { enabled: _enabled, ...settings } = config.channels[name] ?? {};
  const options: Record<string, unknown> = { ...settings };
  const missing: string[] = [];
  for (const entry of channelCatalog[name].fromEnv) {
    const value = env[entry.variable];
    if (value) options[entry.option] = value;
    else if (options[entry.option] === undefined) missing.push(`${entry.variable} (${entry.what})`);
  }
  return { options, missing };
}

/**
 * Builds one enabled channel.
 * @throws ConfigError when a secret is missing or the options are invalid, NotSupportedError (with
 *   a message that says how to go on without it) when the adapter is not built yet
 */
export async function createChannel(name: ChannelName, config: NgbConfig, env: Env): Promise<ChannelAdapter> {
  const info = channelCatalog[name];
  const { options, missing } = channelOptions(name, config, env);
  if (missing.length > 0) {
    throw new ConfigError(`channel "${name}" is enabled in ngb.config.json but ${missing.join(' and ')} is not set`, {
      key: `channels.${name}`,
    });
  }
  try {
    return (await info.load())(options as never);
  } catch (error) {
    if (NotSupportedError.isInstance(error)) {
      throw new NotSupportedError(
        `channel "${name}" is enabled in ngb.config.json, but the ${info.title} adapter is not built yet; ` +
          `set "channels.${name}.enabled": false to run without it`,
        { cause: error },
      );
    }
    if (NgbError.isInstance(error))
      throw new ConfigError(`channel "${name}": ${error.message}`, { key: `channels.${name}`, cause: error });
    throw error;
  }
}
