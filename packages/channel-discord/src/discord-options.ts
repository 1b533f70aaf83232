import { type Clock, defineChannelManifest, type Logger } from '@ngb/plugin-sdk';
import * as v from 'valibot';

const milliseconds = v.pipe(
  v.number('must be a number of milliseconds'),
  v.integer('must be a whole number of milliseconds'),
  v.minValue(1_000, 'must be at least 1000 (ms)'),
  v.maxValue(2 ** 31 - 1, 'must be at most 2147483647 (ms)'),
);

/** Options of {@link createDiscordChannel}. */
export const discordChannelOptionsSchema = v.object({
  /** The bot token; apps read it from `DISCORD_BOT_TOKEN`. */
  botToken: v.pipe(
    v.string('must be a string: pass `botToken` or set DISCORD_BOT_TOKEN'),
    v.minLength(1, 'must not be empty: pass `botToken` or set DISCORD_BOT_TOKEN'),
  ),
  /** Discord's REST base (the gateway URL is asked from it). Point it at a fake in tests. */
  apiUrl: v.optional(v.pipe(v.string(), v.url('must be a URL such as https://discord.com/api')), 'https://discord.com/api'),
  /** Longest message Discord accepts. */
  maxMessageLength: v.optional(
    v.pipe(
      v.number(),
      v.integer('must be a whole number'),
      v.minValue(2, 'must be at least 2'),
      v.maxValue(2000, 'must be at most 2000 (Discord refuses longer messages)'),
    ),
    2000,
  ),
  /** Hand messages of other bots to the gateway too (they never start a turn). */
  allowBots: v.optional(v.boolean('must be true or false'), false),
  /**
   * When neither an event nor a heartbeat ACK arrived for this long, the channel reports `degraded`; after
   * as long again it opens a new gateway session. Keep it above two heartbeat intervals (Discord's are
   * about 41 s): the gateway client already reconnects a connection whose heartbeats go unanswered.
   */
  watchdogMs: v.optional(milliseconds, 120_000),
  /** Where inbound attachments may be downloaded from, besides the `apiUrl` host. */
  attachmentHosts: v.optional(v.array(v.string()), ['cdn.discordapp.com', 'media.discordapp.net']),
  /** Time and timers (the watchdog, reconnect backoff). @default the system clock */
  clock: v.optional(
    v.custom<Clock>(
      (value) => typeof value === 'object' && value !== null && 'now' in value && 'setTimeout' in value,
      'must be a Clock',
    ),
  ),
  /** `fetch` used to download attachments. @default globalThis.fetch */
  fetch: v.optional(v.custom<typeof fetch>((value) => typeof value === 'function', 'must be a fetch function')),
  /** Logger used before `start` gives the context's. @default silent */
  logger: v.optional(
    v.custom<Logger>((value) => typeof value === 'object' && value !== null && 'warn' in value, 'must be a Logger'),
  ),
});

/** Options of {@link createDiscordChannel}. */
export type DiscordChannelOptions = v.InferInput<typeof discordChannelOptionsSchema>;

/** Options after defaults. */
export type ResolvedDiscordChannelOptions = v.InferOutput<typeof discordChannelOptionsSchema>;

/**
 * How apps build the Discord channel from config: its options, the environment variable each secret
 * is read from, and a factory that loads the adapter (and its Discord client) only when the channel is enabled.
 */
export const discordManifest = defineChannelManifest<ResolvedDiscordChannelOptions>({
  name: 'discord',
  title: 'Discord',
  optionsSchema: discordChannelOptionsSchema,
  secrets: [{ option: 'botToken', env: 'DISCORD_BOT_TOKEN', description: 'the bot token' }],
  needsPublicUrl: false,
  remote: true,
  // Discord allows about 5 edits per 5 s per channel; one edit every 1.2 s stays under it.
  streamsByDefault: { editIntervalMs: 1_200 },
  async create(options) {
    const { createDiscordChannel } = await import('./discord-channel');
    return createDiscordChannel(options);
  },
});
