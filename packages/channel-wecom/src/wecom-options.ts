import { clockOption, defineChannelManifest, loggerOption, positiveIntegerOption } from '@ngb/plugin-sdk';
import * as v from 'valibot';

const secret = (env: string) => v.pipe(v.string('must be a string'), v.minLength(1, `must not be empty (set ${env})`));

/** Options of {@link createWeComChannel}. Secrets come from the app (environment variables), never the config file. */
export const weComChannelOptionsSchema = v.object({
  /**
   * `app`: a self-built application (callbacks through the server's `/channels/wecom/webhook`, sends
   * through the application message API). `robot`: a group robot's webhook, send-only.
   */
  mode: v.optional(v.picklist(['app', 'robot'], 'must be "app" or "robot"'), 'app'),
  /** App mode: the enterprise's CorpID (My Enterprise → Enterprise Information). */
  corpId: v.optional(v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty'))),
  /** App mode: the application's AgentId. */
  agentId: v.optional(v.union([positiveIntegerOption, v.pipe(v.string(), v.regex(/^\d{1,12}$/, 'must be a number'))])),
  /** App mode: the application's Secret, from `WECOM_SECRET`. */
  secret: v.optional(secret('WECOM_SECRET')),
  /** App mode: the callback Token of "Receive messages", from `WECOM_TOKEN`. */
  token: v.optional(secret('WECOM_TOKEN')),
  /** App mode: the callback EncodingAESKey (43 characters), from `WECOM_ENCODING_AES_KEY`. */
  encodingAesKey: v.optional(
    v.pipe(
      v.string('must be a string'),
      v.regex(/^[A-Za-z0-9+/]{43}$/, 'must be the 43 characters WeCom generated (set WECOM_ENCODING_AES_KEY)'),
    ),
  ),
  /** Robot mode: the key of the group robot's webhook URL (`…/webhook/send?key=KEY`), from `WECOM_ROBOT_KEY`. */
  webhookKey: v.optional(secret('WECOM_ROBOT_KEY')),
  /** Robot mode: the one chat id the robot's group is addressed by. @default 'robot' */
  robotChatId: v.optional(v.pipe(v.string('must be a string'), v.regex(/^[\w.@-]{1,64}$/, 'must be a short id')), 'robot'),
  /** The API base URL (a fake WeCom in tests). */
  apiBaseUrl: v.optional(
    v.pipe(v.string('must be a string'), v.url('must be a URL such as https://qyapi.weixin.qq.com')),
    'https://qyapi.weixin.qq.com',
  ),
  /**
   * The longest message in BYTES of UTF-8, as WeCom counts (2048 for a text or markdown message):
   * the core splits replies by these bytes (`limits.maxMessageBytes`).
   */
  maxMessageLength: v.optional(v.pipe(positiveIntegerOption, v.minValue(6, 'must be at least 6 (bytes)')), 2048),
  /** How far a callback's `timestamp` may be from now, in seconds, before it is refused as a replay. */
  callbackWindowSeconds: v.optional(positiveIntegerOption, 15 * 60),
  /** Largest callback body read, in bytes. */
  maxCallbackBytes: v.optional(positiveIntegerOption, 64 * 1024),
  /** Largest file `fetchAttachment` will read when the caller allows more. */
  maxAttachmentBytes: v.optional(positiveIntegerOption, 20 * 1024 * 1024),
  /** Time limit of one API call, in milliseconds. */
  requestTimeoutMs: v.optional(v.pipe(positiveIntegerOption, v.maxValue(2 ** 31 - 1)), 30_000),
  /** Time and timers (token expiry, callback window). @default the system clock */
  clock: v.optional(clockOption),
  /** Where problems are logged before `start` gives the context's logger. @default silent */
  logger: v.optional(loggerOption),
});

/** Options of {@link createWeComChannel}. */
export type WeComChannelOptions = v.InferInput<typeof weComChannelOptionsSchema>;

/** Options after defaults. */
export type ResolvedWeComChannelOptions = v.InferOutput<typeof weComChannelOptionsSchema>;

/**
 * How apps build the WeCom channel from config: its options, the environment variable each secret
 * is read from, and a factory that loads the adapter only when the channel is enabled.
 */
export const wecomManifest = defineChannelManifest<ResolvedWeComChannelOptions>({
  name: 'wecom',
  title: 'WeCom',
  optionsSchema: weComChannelOptionsSchema,
  secrets: [
    { option: 'secret', env: 'WECOM_SECRET', description: 'the application Secret (app mode)', optional: true },
    { option: 'token', env: 'WECOM_TOKEN', description: 'the callback Token (app mode)', optional: true },
    {
      option: 'encodingAesKey',
      env: 'WECOM_ENCODING_AES_KEY',
      description: 'the callback EncodingAESKey (app mode)',
      optional: true,
    },
    { option: 'webhookKey', env: 'WECOM_ROBOT_KEY', description: 'the group robot webhook key (robot mode)', optional: true },
  ],
  // App mode receives through callbacks WeCom posts to the server.
  needsPublicUrl: true,
  remote: true,
  async create(options) {
    const { createWeComChannel } = await import('./wecom-channel');
    return createWeComChannel(options);
  },
});
