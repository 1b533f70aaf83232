import { clockOption, defineChannelManifest, fetchOption, loggerOption } from '@ngb/plugin-sdk';
import * as v from 'valibot';

const milliseconds = v.pipe(
  v.number('must be a number of milliseconds'),
  v.integer('must be a whole number of milliseconds'),
  v.minValue(1_000, 'must be at least 1000 (ms)'),
  v.maxValue(2 ** 31 - 1, 'must be at most 2147483647 (ms)'),
);

const baseUrl = (example: string) => v.pipe(v.string(), v.url(`must be a URL such as ${example}`));

/** True for https, or http to this machine (a test's fake server). */
function isSafeOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    if (url.origin !== value) return false;
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
  } catch {
    return false;
  }
}

/** Options of {@link createDingTalkChannel}. */
export const dingTalkChannelOptionsSchema = v.object({
  /** The app's AppKey (Client ID); not a secret. */
  clientId: v.pipe(
    v.string('must be a string: the AppKey (Client ID) of the DingTalk app'),
    v.minLength(1, 'must not be empty: the AppKey (Client ID) of the DingTalk app'),
  ),
  /** The app's AppSecret (Client Secret); apps read it from `DINGTALK_CLIENT_SECRET`. */
  clientSecret: v.pipe(
    v.string('must be a string: pass `clientSecret` or set DINGTALK_CLIENT_SECRET'),
    v.minLength(1, 'must not be empty: pass `clientSecret` or set DINGTALK_CLIENT_SECRET'),
  ),
  /** The robot's code for the send APIs. @default the clientId (a robot of an internal app) */
  robotCode: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty'))),
  /** The OpenAPI base. Point it at a fake in tests. */
  apiBaseUrl: v.optional(baseUrl('https://api.dingtalk.com'), 'https://api.dingtalk.com'),
  /** The old OpenAPI base, where files are uploaded (`/gettoken`, `/media/upload`). Point it at a fake in tests. */
  oapiBaseUrl: v.optional(baseUrl('https://oapi.dingtalk.com'), 'https://oapi.dingtalk.com'),
  /** Where the Stream mode endpoint is looked up. @default the apiBaseUrl */
  gatewayUrl: v.optional(baseUrl('https://api.dingtalk.com')),
  /**
   * Origins a message's `sessionWebhook` may point to: replies are POSTed only there, so a forged
   * webhook URL cannot make the gateway post elsewhere. Each is https (http only to this machine).
   */
  sessionWebhookOrigins: v.optional(
    v.array(v.pipe(v.string(), v.check(isSafeOrigin, 'must be an https origin such as https://oapi.dingtalk.com'))),
    ['https://oapi.dingtalk.com'],
  ),
  /** Longest message sent as one. */
  maxMessageLength: v.optional(
    v.pipe(
      v.number(),
      v.integer('must be a whole number'),
      v.minValue(2, 'must be at least 2'),
      v.maxValue(20_000, 'must be at most 20000'),
    ),
    5_000,
  ),
  /**
   * When no frame (a ping from DingTalk included) arrived for this long, the channel reports
   * `degraded`; after as long again it opens a new stream connection.
   */
  watchdogMs: v.optional(milliseconds, 90_000),
  /** Time and timers (the watchdog, reconnect backoff, token and session webhook expiry). @default the system clock */
  clock: v.optional(clockOption),
  /** `fetch` for every HTTP call. @default globalThis.fetch */
  fetch: v.optional(fetchOption),
  /** Logger used before `start` gives the context's. @default silent */
  logger: v.optional(loggerOption),
});

/** Options of {@link createDingTalkChannel}. */
export type DingTalkChannelOptions = v.InferInput<typeof dingTalkChannelOptionsSchema>;

/** Options after defaults. */
export type ResolvedDingTalkChannelOptions = v.InferOutput<typeof dingTalkChannelOptionsSchema>;

/**
 * How apps build the DingTalk channel from config: its options, the environment variable each secret
 * is read from, and a factory that loads the adapter (and dingtalk-stream) only when the channel is enabled.
 */
export const dingtalkManifest = defineChannelManifest<ResolvedDingTalkChannelOptions>({
  name: 'dingtalk',
  title: 'DingTalk',
  optionsSchema: dingTalkChannelOptionsSchema,
  secrets: [{ option: 'clientSecret', env: 'DINGTALK_CLIENT_SECRET', description: 'the app client secret (AppSecret)' }],
  needsPublicUrl: false,
  remote: true,
  async create(options) {
    const { createDingTalkChannel } = await import('./dingtalk-channel');
    return createDingTalkChannel(options);
  },
});
