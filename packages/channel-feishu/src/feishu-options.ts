import { clockOption, defineChannelManifest, loggerOption, millisecondsOption, positiveIntegerOption } from '@ngb/plugin-sdk';
import * as v from 'valibot';

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `feishu`, `lark`, or an https URL (http only for a loopback host, such as a fake in tests). */
function isDomain(value: string): boolean {
  if (value === 'feishu' || value === 'lark') return true;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === 'https:' || (url.protocol === 'http:' && loopbackHosts.has(url.hostname));
}

/** The API base URL of a `domain` option. */
export function feishuBaseUrl(domain: string): string {
  if (domain === 'feishu') return 'https://open.feishu.cn';
  if (domain === 'lark') return 'https://open.larksuite.com';
  return domain.replace(/\/+$/, '');
}

/** Options of {@link createFeishuChannel}. Secrets come from the app (environment variables), never the config file. */
export const feishuChannelOptionsSchema = v.object({
  /** The app's ID (`cli_…`) from the developer console. */
  appId: v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty (the App ID, cli_…)')),
  /** The app secret, from `FEISHU_APP_SECRET`. */
  appSecret: v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty (set FEISHU_APP_SECRET)')),
  /** `feishu` (open.feishu.cn), `lark` (open.larksuite.com) or a base URL (https; http only for loopback). */
  domain: v.optional(
    v.pipe(
      v.string('must be a string'),
      v.check(isDomain, 'must be "feishu", "lark" or an https URL (http only for 127.0.0.1 / localhost)'),
    ),
    'feishu',
  ),
  /**
   * How events arrive: `websocket` (the SDK's long connection: no public URL) or `webhook` (the event
   * request URL, served by the server at `/channels/feishu/webhook`).
   */
  mode: v.optional(v.picklist(['websocket', 'webhook'], 'must be "websocket" or "webhook"'), 'websocket'),
  /** The event subscription's verification token, from `FEISHU_VERIFICATION_TOKEN`; needed in `webhook` mode. */
  verificationToken: v.optional(
    v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty (set FEISHU_VERIFICATION_TOKEN)')),
  ),
  /** The event subscription's encrypt key, from `FEISHU_ENCRYPT_KEY`: events are encrypted and signed with it. */
  encryptKey: v.optional(v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty (set FEISHU_ENCRYPT_KEY)'))),
  /** When nothing (no event, no pong) arrives for this long, the long connection is reported `degraded` and replaced. */
  watchdogMs: v.optional(millisecondsOption, 300_000),
  /** Messages of other bots are ignored unless this is true. */
  allowBots: v.optional(v.boolean('must be true or false'), false),
  /** Longest message text (Feishu refuses a text message body past 150 KB; a post past 30 KB). */
  maxMessageLength: v.optional(v.pipe(positiveIntegerOption, v.minValue(2, 'must be at least 2')), 10_000),
  /** Largest webhook body read, in bytes. */
  maxWebhookBytes: v.optional(positiveIntegerOption, 1024 * 1024),
  /** Time and timers (token expiry, watchdog, reconnects). @default the system clock */
  clock: v.optional(clockOption),
  /** Where problems are logged before `start` gives the context's logger. @default silent */
  logger: v.optional(loggerOption),
});

/** Options of {@link createFeishuChannel}. */
export type FeishuChannelOptions = v.InferInput<typeof feishuChannelOptionsSchema>;

/** Options after defaults. */
export type ResolvedFeishuChannelOptions = v.InferOutput<typeof feishuChannelOptionsSchema>;

/**
 * How apps build the Feishu / Lark channel from config: its options, the environment variable each secret
 * is read from, and a factory that loads the adapter (and the Lark SDK) only when the channel is enabled.
 */
export const feishuManifest = defineChannelManifest<ResolvedFeishuChannelOptions>({
  name: 'feishu',
  title: 'Feishu / Lark',
  optionsSchema: feishuChannelOptionsSchema,
  secrets: [
    { option: 'appSecret', env: 'FEISHU_APP_SECRET', description: 'the app secret' },
    {
      option: 'verificationToken',
      env: 'FEISHU_VERIFICATION_TOKEN',
      description: 'the event subscription verification token (webhook mode)',
      optional: true,
    },
    {
      option: 'encryptKey',
      env: 'FEISHU_ENCRYPT_KEY',
      description: 'the event subscription encrypt key',
      optional: true,
    },
  ],
  // The long connection, the default, dials out; the webhook mode needs the server reachable from Feishu.
  needsPublicUrl: false,
  remote: true,
  // Replies stream into a card (PATCH takes every edit; a text or post message takes twenty), at most one edit a second.
  streamsByDefault: { editIntervalMs: 1_000 },
  async create(options) {
    const { createFeishuChannel } = await import('./feishu-channel');
    return createFeishuChannel(options);
  },
});
