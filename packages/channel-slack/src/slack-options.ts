import { type Clock, defineChannelManifest, type Logger } from '@ngb/plugin-sdk';
import * as v from 'valibot';

const positiveInteger = v.pipe(
  v.number('must be a number'),
  v.integer('must be a whole number'),
  v.minValue(1, 'must be at least 1'),
);
const milliseconds = v.pipe(positiveInteger, v.maxValue(2 ** 31 - 1, 'must be at most 2147483647 (ms)'));

/** Options of {@link createSlackChannel}. Secrets come from the app (environment variables), never the config file. */
export const slackChannelOptionsSchema = v.object({
  /** The bot token (`xoxb-…`), from `SLACK_BOT_TOKEN`. */
  botToken: v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty (set SLACK_BOT_TOKEN)')),
  /** The app-level token (`xapp-…`, scope `connections:write`), from `SLACK_APP_TOKEN`; needed in `socket` mode. */
  appToken: v.optional(v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty (set SLACK_APP_TOKEN)'))),
  /** The app's signing secret, from `SLACK_SIGNING_SECRET`; needed in `events` mode. */
  signingSecret: v.optional(v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty (set SLACK_SIGNING_SECRET)'))),
  /**
   * How events arrive: `socket` (Socket Mode: an outbound WebSocket, no public URL) or `events` (the
   * Events API posting to the server's `/channels/slack/webhook`, which needs a public URL).
   */
  mode: v.optional(v.picklist(['socket', 'events'], 'must be "socket" or "events"'), 'socket'),
  /** The Web API base URL (a fake Slack in tests). */
  apiUrl: v.optional(
    v.pipe(v.string('must be a string'), v.url('must be a URL such as https://slack.com/api/')),
    'https://slack.com/api/',
  ),
  /**
   * Socket Mode: when nothing at all (no event, no ping, no frame) arrives for this long, the
   * connection is reported `degraded` and replaced by a new one.
   */
  watchdogMs: v.optional(milliseconds, 90_000),
  /** Waits before reconnecting after a drop, one per consecutive failure (the last one repeats). */
  reconnectDelaysMs: v.optional(
    v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(0)), 'must be a list of milliseconds'), v.minLength(1)),
    [1_000, 2_000, 5_000, 15_000, 60_000],
  ),
  /** Messages of other bots and apps are ignored unless this is true. */
  allowBots: v.optional(v.boolean('must be true or false'), false),
  /** Longest message text; Slack truncates text past 40,000 characters. */
  maxMessageLength: v.optional(v.pipe(positiveInteger, v.minValue(2, 'must be at least 2')), 40_000),
  /** User names kept in memory (resolved with `users.info`). */
  userCacheSize: v.optional(positiveInteger, 1_000),
  /** How long a resolved user name is trusted, in milliseconds. */
  userCacheTtlMs: v.optional(milliseconds, 60 * 60_000),
  /** Time limit of one Web API call, in milliseconds. */
  requestTimeoutMs: v.optional(milliseconds, 30_000),
  /** Time and timers (watchdog, reconnects, replay window, caches). @default the system clock */
  clock: v.optional(
    v.custom<Clock>(
      (value) => typeof value === 'object' && value !== null && 'now' in value && 'setTimeout' in value,
      'must be a Clock',
    ),
  ),
  /** Where problems are logged before `start` gives the context's logger. @default silent */
  logger: v.optional(
    v.custom<Logger>((value) => typeof value === 'object' && value !== null && 'warn' in value, 'must be a Logger'),
  ),
});

/** Options of {@link createSlackChannel}. */
export type SlackChannelOptions = v.InferInput<typeof slackChannelOptionsSchema>;

/** Options after defaults. */
export type ResolvedSlackChannelOptions = v.InferOutput<typeof slackChannelOptionsSchema>;

/**
 * How apps build the Slack channel from config: its options, the environment variable each secret
 * is read from, and a factory that loads the adapter (and the Slack SDK) only when the channel is enabled.
 */
export const slackManifest = defineChannelManifest<ResolvedSlackChannelOptions>({
  name: 'slack',
  title: 'Slack',
  optionsSchema: slackChannelOptionsSchema,
  secrets: [
    { option: 'botToken', env: 'SLACK_BOT_TOKEN', description: 'the xoxb- bot token' },
    { option: 'appToken', env: 'SLACK_APP_TOKEN', description: 'the xapp- app-level token (Socket Mode)', optional: true },
    {
      option: 'signingSecret',
      env: 'SLACK_SIGNING_SECRET',
      description: 'the signing secret (Events API mode)',
      optional: true,
    },
  ],
  // Socket Mode, the default, dials out; the Events API mode needs the server reachable from Slack.
  needsPublicUrl: false,
  remote: true,
  // chat.update is a tier 3 method (about 50 calls a minute per workspace).
  streamsByDefault: { editIntervalMs: 1_500 },
  async create(options) {
    const { createSlackChannel } = await import('./slack-channel');
    return createSlackChannel(options);
  },
});
