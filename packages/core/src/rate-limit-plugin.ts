import { type Clock, definePlugin, type InboundMessage, type Plugin, parseOptions } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import { agentChannel } from './gateway-settings';

const wholeNumber = (min: number, max: number) =>
  v.pipe(
    v.number('must be a number'),
    v.integer('must be a whole number'),
    v.minValue(min, `must be from ${min} to ${max}`),
    v.maxValue(max, `must be from ${min} to ${max}`),
  );

const windowSchema = v.object({
  /** Messages counted in one window; the next one is dropped. */
  messages: wholeNumber(1, 1_000_000),
  /** Length of a window in seconds (up to a week). */
  windowSeconds: wholeNumber(1, 604_800),
});

/**
 * The rate limiter's settings: fixed windows per sender (one person, across the chats of a
 * channel) and per chat, each optional but not both.
 */
export const rateLimitOptionsSchema = v.pipe(
  v.object({
    perSender: v.optional(windowSchema),
    perChat: v.optional(windowSchema),
  }),
  v.check(
    (options) => options.perSender !== undefined || options.perChat !== undefined,
    'needs "perSender" or "perChat", such as { "perSender": { "messages": 10, "windowSeconds": 60 } }',
  ),
);

/** Options of {@link createRateLimitPlugin}. */
export type RateLimitOptions = v.InferInput<typeof rateLimitOptionsSchema> & {
  /** The clock windows are counted on. */
  clock: Clock;
};

/** The name the rate limiter loads under. */
export const rateLimitPluginName = 'ngb-rate-limit';

interface Window {
  start: number;
  count: number;
  noticed: boolean;
}

function describeSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? 'hour' : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? 'minute' : `${seconds / 60} minutes`;
  return seconds === 1 ? 'second' : `${seconds} seconds`;
}

/** A fixed-window counter per key; only what is let through counts. */
function createWindows(limit: { messages: number; windowSeconds: number }, clock: Clock) {
  const windowMs = limit.windowSeconds * 1000;
  const windows = new Map<string, Window>();
  let nextSweep = 0;
  const live = (key: string, now: number) => {
    const window = windows.get(key);
    return window !== undefined && now < window.start + windowMs ? window : undefined;
  };
  return {
    limit,
    /** The window that is full for `key`, or undefined when one more message fits. */
    full(key: string): Window | undefined {
      const window = live(key, clock.now());
      return window !== undefined && window.count >= limit.messages ? window : undefined;
    },
    count(key: string): void {
      const now = clock.now();
      // Expired windows are forgotten once per window length, so the map holds only recent keys.
      if (now >= nextSweep) {
        for (const [other, window] of windows) if (now >= window.start + windowMs) windows.delete(other);
        nextSweep = now + windowMs;
      }
      const window = live(key, now);
      if (window) window.count += 1;
      else windows.set(key, { start: now, count: 1, noticed: false });
    },
    /** Seconds until `window` ends, rounded up. */
    remainingSeconds: (window: Window) => Math.max(1, Math.ceil((window.start + windowMs - clock.now()) / 1000)),
  };
}

/** Messages that are counted: new messages of people and bots on the platforms; never edits, deletions or agents. */
function counts(message: InboundMessage): boolean {
  return (message.kind ?? 'message') === 'message' && message.channel !== agentChannel;
}

/**
 * The built-in rate limiter, as a plugin: fixed windows per sender and per chat on the injected
 * clock. A message past either limit is dropped (no agent sees it); the first dropped message of
 * a window gets one notice in its chat (through the outbox), the others none. A dropped message
 * counts toward nothing, so it never extends a window; edits, deletions and messages between
 * agents are never counted. Everyone is limited, owners and admins too: the hook runs before the
 * gateway knows who the sender is.
 * @throws ConfigError naming the key when the options are invalid
 */
export function createRateLimitPlugin(options: RateLimitOptions): Plugin {
  const { clock, ...settings } = options;
  const parsed = parseOptions(rateLimitOptionsSchema, settings, '[@ngb/core] rate limit', { keyPrefix: 'rateLimit' });
  const perSender = parsed.perSender && createWindows(parsed.perSender, clock);
  const perChat = parsed.perChat && createWindows(parsed.perChat, clock);
  return definePlugin({
    name: rateLimitPluginName,
    version: '1.0.0',
    setup(api) {
      api.on('message:received', (message) => {
        if (!counts(message)) return undefined;
        const senderKey = `${message.channel}\u0000${message.sender.id}`;
        const chatKey = `${message.channel}\u0000${message.chat.id}`;
        const senderFull = perSender?.full(senderKey);
        const chatFull = perChat?.full(chatKey);
        if (senderFull === undefined && chatFull === undefined) {
          perSender?.count(senderKey);
          perChat?.count(chatKey);
          return undefined;
        }
        const [window, limit, whose] =
          chatFull && perChat
            ? [chatFull, perChat, 'in this chat']
            : [
                senderFull as Window,
                perSender as NonNullable<typeof perSender>,
                `from ${message.sender.name ?? message.sender.id}`,
              ];
        if (!window.noticed) {
          window.noticed = true;
          const text =
            `Slow down: at most ${limit.limit.messages} message${limit.limit.messages === 1 ? '' : 's'} per ` +
            `${describeSeconds(limit.limit.windowSeconds)} ${whose}. ` +
            `Messages ${whose} are ignored for the next ${limit.remainingSeconds(window)} s.`;
          const address = { channel: message.channel, chatId: message.chat.id, threadId: message.threadId };
          api.send(address, text).catch((error: unknown) => api.logger.warn('rate limit notice not queued', { error }));
        }
        return false;
      });
    },
  });
}
