import { clockOption, defineChannelManifest, loggerOption, millisecondsOption, positiveIntegerOption } from '@ngb/plugin-sdk';
import * as v from 'valibot';

const secret = (variable: string) =>
  v.optional(v.pipe(v.string('must be a string'), v.minLength(1, `must not be empty (set ${variable})`)));

const objectSchema = v.object({
  /**
   * `cloud`: the WhatsApp Cloud API (a Meta app; webhooks at `/channels/whatsapp/webhook`, which needs a
   * public URL). `web`: WhatsApp Web through Baileys, linked to a phone by scanning a QR code.
   */
  mode: v.optional(v.picklist(['cloud', 'web'], 'must be "cloud" or "web"'), 'cloud'),
  /**
   * Cloud: the business phone number's id (WhatsApp → API Setup in the Meta app), from the config or
   * `WHATSAPP_PHONE_NUMBER_ID`.
   */
  phoneNumberId: secret('WHATSAPP_PHONE_NUMBER_ID'),
  /** Cloud: the Graph API base URL (a fake in tests). */
  apiBaseUrl: v.optional(
    v.pipe(v.string('must be a string'), v.url('must be a URL such as https://graph.facebook.com')),
    'https://graph.facebook.com',
  ),
  /** Cloud: the Graph API version. */
  apiVersion: v.optional(v.pipe(v.string('must be a string'), v.regex(/^v\d{1,3}\.\d{1,3}$/, 'must look like v23.0')), 'v23.0'),
  /** Cloud: a permanent (system user) access token, from `WHATSAPP_ACCESS_TOKEN`. */
  accessToken: secret('WHATSAPP_ACCESS_TOKEN'),
  /** Cloud: the Meta app's secret, from `WHATSAPP_APP_SECRET`; webhooks are checked against it (`X-Hub-Signature-256`). */
  appSecret: secret('WHATSAPP_APP_SECRET'),
  /** Cloud: the verify token typed into the app's webhook settings, from `WHATSAPP_VERIFY_TOKEN`. */
  verifyToken: secret('WHATSAPP_VERIFY_TOKEN'),
  /** Cloud: the largest webhook body read, in bytes. */
  maxBodyBytes: v.optional(positiveIntegerOption, 1024 * 1024),
  /** Cloud: time limit of one Graph API call, in milliseconds. */
  requestTimeoutMs: v.optional(millisecondsOption, 30_000),
  /**
   * Web: where the linked device's keys are kept. @default `auth` in the channel's state directory
   * (`<data>/channels/whatsapp/auth`)
   */
  authDirectory: v.optional(v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty'))),
  /** Web: waits before reconnecting after a drop, one per consecutive failure (the last one repeats). */
  reconnectDelaysMs: v.optional(
    v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(0)), 'must be a list of milliseconds'), v.minLength(1)),
    [1_000, 2_000, 5_000, 15_000, 60_000],
  ),
  /** Longest message text; WhatsApp refuses text bodies past 4,096 characters. */
  maxMessageLength: v.optional(v.pipe(positiveIntegerOption, v.minValue(2, 'must be at least 2')), 4_096),
  /** Time and timers (reconnects). @default the system clock */
  clock: v.optional(clockOption),
  /** Where problems are logged before `start` gives the context's logger. @default silent */
  logger: v.optional(loggerOption),
});

/**
 * Options of {@link createWhatsAppChannel}. Secrets come from the app (environment variables), never the
 * config file. The `cloud` mode needs `phoneNumberId` and its three secrets; the schema names the one missing.
 */
export const whatsAppChannelOptionsSchema = v.pipe(
  objectSchema,
  v.forward(
    v.check(
      (options) => options.mode !== 'cloud' || options.accessToken !== undefined,
      'is needed in cloud mode: set WHATSAPP_ACCESS_TOKEN',
    ),
    ['accessToken'],
  ),
  v.forward(
    v.check(
      (options) => options.mode !== 'cloud' || options.appSecret !== undefined,
      'is needed in cloud mode: set WHATSAPP_APP_SECRET',
    ),
    ['appSecret'],
  ),
  v.forward(
    v.check(
      (options) => options.mode !== 'cloud' || options.verifyToken !== undefined,
      'is needed in cloud mode: set WHATSAPP_VERIFY_TOKEN',
    ),
    ['verifyToken'],
  ),
  v.forward(
    v.check(
      (options) => options.mode !== 'cloud' || options.phoneNumberId !== undefined,
      'is needed in cloud mode: set WHATSAPP_PHONE_NUMBER_ID (WhatsApp → API Setup in the Meta app)',
    ),
    ['phoneNumberId'],
  ),
);

/** Options of {@link createWhatsAppChannel}. */
export type WhatsAppChannelOptions = v.InferInput<typeof whatsAppChannelOptionsSchema>;

/** Options after defaults. */
export type ResolvedWhatsAppChannelOptions = v.InferOutput<typeof whatsAppChannelOptionsSchema>;

/**
 * How apps build the WhatsApp channel from config: its options, the environment variable each secret
 * is read from, and a factory that loads the adapter only when the channel is enabled (and Baileys only
 * when a `web` channel starts).
 */
export const whatsappManifest = defineChannelManifest<ResolvedWhatsAppChannelOptions>({
  name: 'whatsapp',
  title: 'WhatsApp',
  optionsSchema: whatsAppChannelOptionsSchema,
  secrets: [
    {
      option: 'phoneNumberId',
      env: 'WHATSAPP_PHONE_NUMBER_ID',
      description: 'the business phone number id (Cloud API)',
      optional: true,
    },
    { option: 'accessToken', env: 'WHATSAPP_ACCESS_TOKEN', description: 'the Cloud API access token', optional: true },
    { option: 'appSecret', env: 'WHATSAPP_APP_SECRET', description: 'the Meta app secret (webhook signatures)', optional: true },
    {
      option: 'verifyToken',
      env: 'WHATSAPP_VERIFY_TOKEN',
      description: 'the webhook verify token (Cloud API)',
      optional: true,
    },
  ],
  // The default `cloud` mode receives webhooks; `web` dials out.
  needsPublicUrl: true,
  remote: true,
  async create(options, context) {
    const { createWhatsAppChannel } = await import('./whatsapp-channel');
    return createWhatsAppChannel(options, context === undefined ? {} : { stateDirectory: context.stateDirectory });
  },
});
