import { defineChannelManifest } from '@ngb/plugin-sdk';
import * as v from 'valibot';

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True for an https URL, or an http one on this machine (a local Bot API server, a test fake). */
function isSafeUrl(value: string): boolean {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url === undefined) return false;
  if (url.username !== '' || url.password !== '') return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && loopbackHosts.has(url.hostname));
}

const wholeNumber = v.pipe(v.number('must be a number'), v.integer('must be a whole number'));

/** Options of {@link createTelegramChannel}. */
export const telegramChannelOptionsSchema = v.pipe(
  v.object({
    /** The bot token from @BotFather; apps read it from `TELEGRAM_BOT_TOKEN`. */
    botToken: v.pipe(
      v.string('must be the bot token from @BotFather'),
      v.minLength(1, 'must be the bot token from @BotFather'),
      // It becomes part of every URL path; Telegram itself checks the rest (401 at start).
      v.regex(/^[^\s/?#%]+$/, 'must be the token @BotFather gave (123456789:AAE...), without spaces'),
    ),
    /**
     * Where the Bot API is (a local Bot API server, or a fake in tests). https, or http on loopback only,
     * since every call carries the token.
     * @default 'https://api.telegram.org/'
     */
    apiRoot: v.optional(
      v.pipe(
        v.string(),
        v.check(isSafeUrl, 'must be an https URL (http only on 127.0.0.1, localhost or [::1]) without credentials'),
        // telegraf joins `./bot<token>/<method>` onto it: without the trailing slash a path prefix is lost.
        v.transform((value) => (value.endsWith('/') ? value : `${value}/`)),
      ),
      'https://api.telegram.org/',
    ),
    /** `polling` (getUpdates, no public URL needed) or `webhook` (Telegram posts to `webhookUrl`). @default 'polling' */
    mode: v.optional(v.picklist(['polling', 'webhook'], 'must be "polling" or "webhook"'), 'polling'),
    /**
     * The public URL Telegram posts updates to in webhook mode: the server's `/channels/telegram/webhook`,
     * e.g. `https://bot.example.com/channels/telegram/webhook` (Telegram accepts ports 443, 80, 88 and 8443).
     */
    webhookUrl: v.optional(v.pipe(v.string(), v.check(isSafeUrl, 'must be an https URL'))),
    /**
     * The secret Telegram sends back in `X-Telegram-Bot-Api-Secret-Token`; apps read it from
     * `TELEGRAM_WEBHOOK_SECRET` or generate one.
     */
    webhookSecret: v.optional(
      v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1 to 256 characters of A-Z, a-z, 0-9, _ and -')),
    ),
    /** Seconds one getUpdates long poll may wait for updates. @default 50 */
    pollTimeoutSeconds: v.optional(
      v.pipe(wholeNumber, v.minValue(1, 'must be at least 1'), v.maxValue(50, 'must be at most 50')),
      50,
    ),
    /**
     * Milliseconds past the poll timeout after which a getUpdates that neither answered nor failed counts
     * as a deaf connection: the channel reports `degraded` and polls again. @default 15000
     */
    watchdogMarginMs: v.optional(v.pipe(wholeNumber, v.minValue(100, 'must be at least 100')), 15_000),
    /** Longest message text; Telegram's limit is 4096 characters after markup. @default 4096 */
    maxMessageLength: v.optional(
      v.pipe(wholeNumber, v.minValue(2, 'must be at least 2'), v.maxValue(4096, 'must be at most 4096')),
      4096,
    ),
    /** Hand messages of other bots to the core (they never start a turn). @default false */
    allowBots: v.optional(v.boolean('must be true or false'), false),
  }),
  v.forward(
    v.check((options) => options.mode !== 'webhook' || options.webhookUrl !== undefined, 'is required when mode is "webhook"'),
    ['webhookUrl'],
  ),
  v.forward(
    v.check((options) => options.mode !== 'webhook' || options.webhookSecret !== undefined, 'is required when mode is "webhook"'),
    ['webhookSecret'],
  ),
);

/** Options of {@link createTelegramChannel}. */
export type TelegramChannelOptions = v.InferInput<typeof telegramChannelOptionsSchema>;

/** Options after defaults. */
export type ResolvedTelegramChannelOptions = v.InferOutput<typeof telegramChannelOptionsSchema>;

/**
 * How apps build the Telegram channel from config: its options, the environment variable each secret
 * is read from, and a factory that loads the adapter (and telegraf) only when the channel is enabled.
 */
export const telegramManifest = defineChannelManifest<ResolvedTelegramChannelOptions>({
  name: 'telegram',
  title: 'Telegram',
  optionsSchema: telegramChannelOptionsSchema,
  secrets: [
    { option: 'botToken', env: 'TELEGRAM_BOT_TOKEN', description: 'the bot token from @BotFather' },
    {
      option: 'webhookSecret',
      env: 'TELEGRAM_WEBHOOK_SECRET',
      description: 'the secret Telegram sends with each webhook request',
      generate: true,
    },
  ],
  // Long polling by default; webhook mode is opted into with `mode` and `webhookUrl`.
  needsPublicUrl: false,
  remote: true,
  // Telegram allows about one message a second per chat and 20 a minute in groups; edits count.
  streamsByDefault: { editIntervalMs: 2_000 },
  async create(options) {
    const { createTelegramChannel } = await import('./telegram-channel');
    return createTelegramChannel(options);
  },
});
