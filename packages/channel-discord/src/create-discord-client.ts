import { Client, GatewayIntentBits, Options } from 'discord.js';

/**
 * The intents the adapter asks for: guild channels and threads (`Guilds`), messages in them
 * (`GuildMessages`), their text (`MessageContent`, a privileged intent to enable in the Developer
 * Portal), and direct messages (`DirectMessages`).
 */
const discordIntents = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.DirectMessages,
];

// Everything the adapter does not read is never cached: messages, members, users, presences,
// reactions, emojis... are read from raw dispatches instead. Only guilds, channels and threads stay
// (a message's thread and parent come from the channel cache), and archived threads are swept.
const emptyCaches = [
  'ApplicationCommandManager',
  'ApplicationEmojiManager',
  'AutoModerationRuleManager',
  'BaseGuildEmojiManager',
  'DMMessageManager',
  'EntitlementManager',
  'GuildBanManager',
  'GuildEmojiManager',
  'GuildInviteManager',
  'GuildMessageManager',
  'GuildScheduledEventManager',
  'GuildStickerManager',
  'MessageManager',
  'PresenceManager',
  'ReactionManager',
  'ReactionUserManager',
  'StageInstanceManager',
  'ThreadMemberManager',
  'VoiceStateManager',
];

/**
 * A discord.js client for the adapter. The REST client rejects rate limits and 5xx instead of waiting
 * and retrying by itself: the core's delivery retries with backoff and keeps per-chat order, and
 * `retry_after` reaches it through `mapDiscordError`.
 *
 * No `Partials.Channel`: discord.js needs it to turn a DM into a `messageCreate` event, but the adapter
 * reads raw dispatches (DMs included), and the partial would cache a channel per person who ever wrote.
 */
export function createDiscordClient(apiUrl: string): Client {
  const client: Client = new Client({
    intents: discordIntents,
    rest: { api: apiUrl, retries: 0, rejectOnRateLimit: () => true, offset: 0 },
    makeCache: Options.cacheWithLimits({
      ...Object.fromEntries(emptyCaches.map((name) => [name, 0])),
      UserManager: { maxSize: 0, keepOverLimit: (user) => user.id === client.user?.id },
      GuildMemberManager: { maxSize: 0, keepOverLimit: (member) => member.id === client.user?.id },
    }),
    sweepers: {
      ...Options.DefaultSweeperSettings,
      threads: { interval: 3_600, lifetime: 4 * 3_600 },
    },
  });
  return client;
}
