import { clockOption, defineChannelManifest, fetchOption, loggerOption } from '@ngb/plugin-sdk';
import * as v from 'valibot';

const milliseconds = v.pipe(
  v.number('must be a number of milliseconds'),
  v.integer('must be a whole number of milliseconds'),
  v.minValue(1_000, 'must be at least 1000 (ms)'),
  v.maxValue(2 ** 31 - 1, 'must be at most 2147483647 (ms)'),
);

/** True for a host name or address that only this machine can reach. */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

const socketUrl = v.pipe(
  v.string('must be a string such as ws://127.0.0.1:3001'),
  v.url('must be a URL such as ws://127.0.0.1:3001'),
  v.check(
    (value) => /^wss?:\/\//i.test(value),
    'must be a ws:// or wss:// URL (the forward WebSocket of the OneBot implementation)',
  ),
);

/** Options of {@link createQQChannel}. */
export const qqChannelOptionsSchema = v.pipe(
  v.object({
    /**
     * The forward WebSocket of the OneBot v11 implementation (NapCat, LLOneBot, Lagrange), its universal
     * endpoint where events and actions share one connection.
     */
    url: v.optional(socketUrl, 'ws://127.0.0.1:3001'),
    /** The implementation's access token; apps read it from `QQ_ONEBOT_ACCESS_TOKEN`. Required off loopback. */
    accessToken: v.optional(v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty'))),
    /** Allow `ws://` (unencrypted, the token readable on the way) to a host other than this machine. */
    allowInsecureRemote: v.optional(v.boolean('must be true or false'), false),
    /** Longest message sent at once; QQ cuts or refuses longer ones. */
    maxMessageLength: v.optional(
      v.pipe(
        v.number('must be a number'),
        v.integer('must be a whole number'),
        v.minValue(2, 'must be at least 2'),
        v.maxValue(10_000, 'must be at most 10000'),
      ),
      4500,
    ),
    /**
     * When neither an event nor a heartbeat arrived for this long, the channel reports `degraded`; after as
     * long again it connects anew. @default three heartbeat intervals once one is known, else 90 s
     */
    watchdogMs: v.optional(milliseconds),
    /** How long an action may wait for its answer before it fails (retryable). */
    actionTimeoutMs: v.optional(milliseconds, 30_000),
    /** Where inbound files may be downloaded from, besides the OneBot host itself. */
    attachmentHosts: v.optional(v.array(v.string('must be host names')), [
      'multimedia.nt.qq.com.cn',
      'gchat.qpic.cn',
      'c2cpicdw.qpic.cn',
    ]),
    /** Time and timers (watchdog, action timeouts, reconnect backoff). @default the system clock */
    clock: v.optional(clockOption),
    /** `fetch` used to download inbound files. @default globalThis.fetch */
    fetch: v.optional(fetchOption),
    /** Logger used before `start` gives the context's. @default silent */
    logger: v.optional(loggerOption),
  }),
  // An open OneBot port lets whoever reaches it drive the QQ account: off this machine, a token is required,
  // and it travels in clear over ws:// unless the owner says the network is trusted.
  v.forward(
    v.partialCheck(
      [['url'], ['accessToken']],
      (input) => input.accessToken !== undefined || isLoopbackHost(new URL(input.url).hostname),
      'must be set when `url` is not on this machine (127.0.0.1, ::1, localhost): set QQ_ONEBOT_ACCESS_TOKEN to the access token configured in the OneBot implementation',
    ),
    ['accessToken'],
  ),
  v.forward(
    v.partialCheck(
      [['url'], ['allowInsecureRemote']],
      (input) =>
        input.allowInsecureRemote || !input.url.toLowerCase().startsWith('ws:') || isLoopbackHost(new URL(input.url).hostname),
      'is ws:// to another machine: the access token and every message would cross the network unencrypted; use wss:// (a TLS proxy in front of the OneBot implementation) or set `allowInsecureRemote: true` on a network you trust',
    ),
    ['url'],
  ),
);

/** Options of {@link createQQChannel}. */
export type QQChannelOptions = v.InferInput<typeof qqChannelOptionsSchema>;

/** Options after defaults. */
export type ResolvedQQChannelOptions = v.InferOutput<typeof qqChannelOptionsSchema>;

/**
 * How apps build the QQ (OneBot v11) channel from config: its options, the environment variable its
 * secret is read from, and a factory that loads the adapter only when the channel is enabled.
 */
export const qqManifest = defineChannelManifest<ResolvedQQChannelOptions>({
  name: 'qq',
  title: 'QQ (OneBot v11)',
  optionsSchema: qqChannelOptionsSchema,
  secrets: [
    {
      option: 'accessToken',
      env: 'QQ_ONEBOT_ACCESS_TOKEN',
      description: 'the access token of the OneBot implementation',
      optional: true,
    },
  ],
  needsPublicUrl: false,
  remote: true,
  async create(options) {
    const { createQQChannel } = await import('./qq-channel');
    return createQQChannel(options);
  },
});
