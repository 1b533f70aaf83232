import type * as v from 'valibot';
import type { ChannelAdapter } from './channel';

/** How a channel streams replies by default (see `ChannelManifest.streamsByDefault`). */
export interface StreamingDefaults {
  /** Characters written before the first message is sent. */
  readonly firstAfterChars?: number;
  /** Milliseconds after which the first message is sent, whatever its length. */
  readonly firstAfterMs?: number;
  /** The least time between two edits of the message, in milliseconds. */
  readonly editIntervalMs?: number;
}

/** A secret option of a channel, and the environment variable apps read it from. */
export interface ChannelSecretOption {
  /** The option's key in the channel's options (`botToken`). */
  option: string;
  /** The environment variable apps fill it from (`TELEGRAM_BOT_TOKEN`). Secrets never live in the config file. */
  env: string;
  /** What the value is, for error messages (`the bot token from @BotFather`). */
  description: string;
  /**
   * A key only the gateway needs (such as the key cookies are signed with): when its variable is
   * unset, apps generate a random one once and keep it in their data directory, so it survives restarts.
   */
  generate?: boolean;
  /**
   * The channel can run without it in some configurations (Slack's signing secret is needed only in
   * its Events API mode): apps leave it out when its variable is unset instead of refusing, and the
   * channel's own factory names it when the chosen configuration needs it.
   */
  optional?: boolean;
}

/** What the host gives a channel's factory besides its options. */
export interface ChannelCreateContext {
  /**
   * A directory of this channel alone (`<data>/channels/<name>`), created by the host with mode 0700,
   * for state the channel keeps across restarts (a linked device's keys). Channels that keep nothing ignore it.
   */
  readonly stateDirectory: string;
}

/**
 * What an app needs to build a channel from its config, the same way for every platform, without
 * loading the platform's SDK until the channel is enabled. Every channel package exports one as
 * `manifest`, also from its light `./manifest` entry.
 */
export interface ChannelManifest<Options = Record<string, unknown>> {
  /** Contract version this manifest implements. */
  readonly specificationVersion: 1;
  /** The adapter's name, also its config key `channels.<name>` and its webhook path `/channels/<name>/webhook`. */
  readonly name: string;
  /** The platform's name for people (`Telegram`). */
  readonly title: string;
  /** Validates the options (config settings and secrets together); messages name the option. */
  readonly optionsSchema: v.GenericSchema<unknown, Options>;
  /** Secret options, each read by apps from its environment variable. */
  readonly secrets: readonly ChannelSecretOption[];
  /** True when the platform must reach the gateway over a public URL (webhook mode). */
  readonly needsPublicUrl: boolean;
  /** True when people outside this machine reach agents through the channel. */
  readonly remote: boolean;
  /**
   * When set, the channel's replies stream into one message by edits unless its config says
   * `streaming: false`, with these settings (for the platform's edit rate limit) unless the config
   * gives its own. Unset: replies are sent whole unless the config asks for streaming.
   */
  readonly streamsByDefault?: StreamingDefaults;
  /**
   * Builds the adapter from validated options, loading the platform SDK only now.
   * @param context what the host gives besides the options (left out by callers that only probe the factory)
   * @throws NotSupportedError when the adapter is not built yet, ConfigError for options the schema cannot check
   *   (or for a channel that needs `context` when it is left out)
   */
  create(options: Options, context?: ChannelCreateContext): Promise<ChannelAdapter>;
}

/**
 * Declares a channel manifest, checking its name and secrets.
 * @throws TypeError for an invalid name or a secret option named twice
 */
export function defineChannelManifest<Options>(
  manifest: Omit<ChannelManifest<Options>, 'specificationVersion'>,
): ChannelManifest<Options> {
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(manifest.name)) {
    throw new TypeError(`[@ngb/plugin-sdk] invalid channel name "${manifest.name}": use lower case letters, digits and -`);
  }
  const options = new Set<string>();
  for (const secret of manifest.secrets) {
    if (options.has(secret.option))
      throw new TypeError(`[@ngb/plugin-sdk] channel "${manifest.name}": secret option "${secret.option}" is declared twice`);
    options.add(secret.option);
  }
  return { ...manifest, specificationVersion: 1 };
}
