import { clockOption, defineChannelManifest, loggerOption, positiveIntegerOption } from '@ngb/plugin-sdk';
import * as v from 'valibot';

/** Options of {@link createWebChannel}. Nothing is read from the environment. */
export const webChannelOptionsSchema = v.object({
  /**
   * The key visitor cookies are signed with (HMAC-SHA256), at least 32 characters. The host supplies it
   * (it is not a setting people write): keep it stable across restarts or every visitor gets a new identity.
   */
  secret: v.pipe(
    v.string('must be a string supplied by the host'),
    v.minLength(32, 'must be at least 32 characters (the host generates and keeps it)'),
  ),
  /** Where the server app mounts the web chat: its API is under `<path>/api/`, its cookie has `Path=<path>`. */
  path: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/, 'must be a path such as /chat, without a trailing slash'),
    ),
    '/chat',
  ),
  /** Longest message text, in UTF-16 code units, both ways. */
  maxMessageLength: v.optional(v.pipe(positiveIntegerOption, v.minValue(2, 'must be at least 2')), 100_000),
  /** Largest request body, in bytes; a larger one gets 413 and is not read further. */
  maxBodyBytes: v.optional(positiveIntegerOption, 512 * 1024),
  /** Messages one visitor may send: `messages` per `perSeconds` (a token bucket); more get 429. */
  rateLimit: v.optional(v.object({ messages: positiveIntegerOption, perSeconds: positiveIntegerOption }), {
    messages: 20,
    perSeconds: 60,
  }),
  /**
   * New visitor identities the whole channel hands out: `visitors` per `perSeconds`; a request without
   * a valid cookie past it gets 429. Without it, dropping the cookie would escape `rateLimit`.
   */
  newVisitorRateLimit: v.optional(v.object({ visitors: positiveIntegerOption, perSeconds: positiveIntegerOption }), {
    visitors: 30,
    perSeconds: 60,
  }),
  /** Events kept per visitor, which a reconnect with `Last-Event-ID` can resume from. */
  eventBufferSize: v.optional(positiveIntegerOption, 200),
  /**
   * The most one visitor's buffered events may weigh (their JSON, in UTF-16 code units); the oldest
   * leave first, the newest always stays.
   */
  eventBufferChars: v.optional(positiveIntegerOption, 1_000_000),
  /**
   * Messages kept per visitor (both ways), served by `GET <path>/api/history`; after a restart, or for
   * a visitor forgotten past `maxVisitors`, read again from what the gateway stored.
   */
  historySize: v.optional(positiveIntegerOption, 200),
  /** Events queued for one connection that its reader has not taken; past it the connection is dropped. */
  connectionQueueSize: v.optional(positiveIntegerOption, 256),
  /**
   * Visitors kept in memory; past it the one idle the longest (no open connection) is forgotten (its
   * history comes back from the gateway's store when it returns).
   */
  maxVisitors: v.optional(positiveIntegerOption, 1_000),
  /** Interval of the SSE heartbeat comments, in milliseconds. */
  heartbeatMs: v.optional(v.pipe(positiveIntegerOption, v.maxValue(2 ** 31 - 1, 'must be at most 2147483647 (ms)')), 15_000),
  /** The agent's display name on the page (`self.name`). */
  assistantName: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64)), 'Assistant'),
  /** Time and timers (rate limit, heartbeats, timestamps). @default the system clock */
  clock: v.optional(clockOption),
  /** Where request failures are logged before `start` gives the context's logger. @default silent */
  logger: v.optional(loggerOption),
});

/** Options of {@link createWebChannel}. */
export type WebChannelOptions = v.InferInput<typeof webChannelOptionsSchema>;

/** Options after defaults. */
export type ResolvedWebChannelOptions = v.InferOutput<typeof webChannelOptionsSchema>;

/**
 * How apps build the Web chat channel from config: its options and a factory that loads the adapter
 * only when the channel is enabled. Its one secret, the key visitor cookies are signed with, is
 * `NGB_WEB_CHAT_SECRET` or else generated once by the app and kept in its data directory.
 */
export const webManifest = defineChannelManifest<ResolvedWebChannelOptions>({
  name: 'web',
  title: 'Web chat',
  optionsSchema: webChannelOptionsSchema,
  secrets: [
    { option: 'secret', env: 'NGB_WEB_CHAT_SECRET', description: 'the key visitor cookies are signed with', generate: true },
  ],
  needsPublicUrl: false,
  // Reached through the server app, on loopback unless its operator binds it elsewhere.
  remote: false,
  // Edits cost no platform rate limit and the page renders them live.
  streamsByDefault: {},
  async create(options) {
    const { createWebChannel } = await import('./web-channel');
    return createWebChannel(options);
  },
});
