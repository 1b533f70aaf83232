import {
  type ChannelAdapter,
  ChannelApiError,
  type ChannelContext,
  type ChannelIdentity,
  ConfigError,
  createConnectionWatchdog,
  createReconnectBackoff,
  type DeleteCapability,
  type FetchFilesCapability,
  type FilesCapability,
  systemClock,
  type TimerHandle,
} from '@ngb/plugin-sdk';
import * as v from 'valibot';
import { fetchQQAttachment } from './fetch-qq-attachment';
import { mapQQError } from './map-qq-error';
import { normalizeQQEvent } from './normalize-qq-event';
import { type OneBotConnection, openOneBotConnection } from './onebot-connection';
import { type QQChannelOptions, qqChannelOptionsSchema } from './qq-options';
import { createQQOutbound } from './qq-outbound';
import { createRecentMessages } from './recent-messages';

/** The QQ adapter with its capabilities (QQ cannot edit a sent message, so there is no edit). */
export type QQChannel = ChannelAdapter & DeleteCapability & FilesCapability & FetchFilesCapability;

const prefix = '[@ngb/channel-qq]';
const defaultWatchdogMs = 90_000;

/**
 * The QQ channel over OneBot v11 (NapCat, LLOneBot, Lagrange): one forward WebSocket carries the events
 * and the actions. Chats are `private:<QQ number>` and `group:<group number>`.
 * @throws ConfigError naming the option when `options` are invalid
 */
export function createQQChannel(input: QQChannelOptions): QQChannel {
  const parsed = v.safeParse(qqChannelOptionsSchema, input);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const key = issue ? (v.getDotPath(issue) ?? 'options') : 'options';
    throw new ConfigError(`${prefix} \`${key}\` ${issue?.message ?? 'is invalid'}`, { key });
  }
  const options = parsed.output;
  const clock = options.clock ?? systemClock;
  const fileHosts = [new URL(options.url).host, ...options.attachmentHosts];
  let connection: OneBotConnection | undefined;
  let context: ChannelContext | undefined;
  let self: ChannelIdentity | undefined;
  let running = false;
  let retryTimer: TimerHandle | undefined;
  let inbound: Promise<void> = Promise.resolve();
  const recent = createRecentMessages(500);
  const logger = () => context?.logger ?? options.logger;

  let lastState: string | undefined;
  const status: ChannelContext['setStatus'] = (value) => {
    if (value.state === 'connected' && lastState === 'connected') return;
    lastState = value.state;
    context?.setStatus(value);
  };

  // The watchdog's timeout follows the heartbeat interval the implementation announces, unless set.
  let watchdogMs = options.watchdogMs ?? defaultWatchdogMs;
  const newWatchdog = () =>
    createConnectionWatchdog({
      clock,
      timeoutMs: watchdogMs,
      onDeaf: (quietMs) =>
        status({ state: 'degraded', detail: `no OneBot event or heartbeat for ${Math.round(quietMs / 1000)} s` }),
      onDead: () => void reconnect(),
      onAlive: () => status({ state: 'connected' }),
    });
  let watchdog = newWatchdog();
  const backoff = createReconnectBackoff({ clock });

  const call = (action: string, params: Record<string, unknown>) => {
    if (!connection)
      return Promise.reject(new ChannelApiError('qq', `${prefix} the channel is not connected`, { retryable: true }));
    return connection.call(action, params);
  };

  function heartbeat(event: Record<string, unknown>): void {
    const interval = Number(event.interval);
    if (options.watchdogMs !== undefined || !Number.isFinite(interval) || interval <= 0) return;
    const derived = Math.max(1_000, Math.min(2 ** 31 - 1, Math.round(interval * 3)));
    if (derived === watchdogMs) return;
    watchdogMs = derived;
    watchdog.stop();
    watchdog = newWatchdog();
    watchdog.start();
  }

  async function handle(owner: OneBotConnection, event: Record<string, unknown>): Promise<void> {
    const receiving = context;
    if (!running || owner !== connection || !receiving || !self) return;
    const message = normalizeQQEvent(event, {
      selfId: self.id,
      sentByBot: (id) => recent.sentByBot(id),
      recall: (chatId, id) => recent.find(chatId, id),
      now: () => clock.now(),
    });
    if (!message) return;
    if (message.kind === undefined) recent.remember(message);
    await receiving.receive(message);
  }

  function onEvent(owner: OneBotConnection, event: Record<string, unknown>): void {
    if (owner !== connection) return;
    watchdog.alive();
    if (event.post_type === 'meta_event') {
      if (event.meta_event_type === 'heartbeat') heartbeat(event);
      return;
    }
    inbound = inbound
      .then(() => handle(owner, event))
      .catch((error: unknown) => logger()?.error(`${prefix} an inbound message was not stored`, { error: String(error) }));
  }

  async function connect(): Promise<void> {
    let opened: OneBotConnection | undefined;
    const next = await openOneBotConnection({
      url: options.url,
      ...(options.accessToken === undefined ? {} : { accessToken: options.accessToken }),
      clock,
      actionTimeoutMs: options.actionTimeoutMs,
      onEvent: (event) => {
        if (opened) onEvent(opened, event);
      },
      onClose: (reason) => {
        if (opened !== connection || !running) return;
        connection = undefined;
        watchdog.stop();
        status({ state: 'disconnected', error: `${prefix} ${reason}; reconnecting` });
        scheduleReconnect(backoff.nextDelayMs());
      },
    });
    opened = next;
    connection = next;
    backoff.opened();
    // Events may arrive before the login answer; they wait for it (so `self` is known) instead of being lost.
    let loggedIn!: () => void;
    const login = new Promise<void>((resolve) => {
      loggedIn = resolve;
    });
    inbound = inbound.then(() => login);
    try {
      const info = (await next.call('get_login_info', {})) as { user_id?: unknown; nickname?: unknown } | null;
      const id = info?.user_id;
      if (typeof id !== 'number' && (typeof id !== 'string' || id === ''))
        throw new ChannelApiError('qq', `${prefix} get_login_info answered without a user_id: is the QQ account logged in?`, {
          status: 502,
          retryable: true,
        });
      self = { id: String(id), name: typeof info?.nickname === 'string' && info.nickname !== '' ? info.nickname : String(id) };
    } catch (error) {
      if (connection === next) connection = undefined;
      next.close();
      throw mapQQError(error, 'get_login_info');
    } finally {
      loggedIn();
    }
  }

  function fail(error: string): void {
    running = false;
    watchdog.stop();
    connection?.close();
    connection = undefined;
    status({ state: 'failed', error });
  }

  function scheduleReconnect(delayMs: number): void {
    if (!running) return;
    if (retryTimer !== undefined) clock.clearTimeout(retryTimer);
    retryTimer = clock.setTimeout(() => {
      retryTimer = undefined;
      void reconnect();
    }, delayMs);
  }

  // A new connection after a drop (with backoff) or after the watchdog found this one dead.
  async function reconnect(): Promise<void> {
    if (!running) return;
    const old = connection;
    connection = undefined;
    watchdog.stop();
    old?.close();
    status({ state: 'connecting' });
    try {
      await connect();
      const current = connection as OneBotConnection | undefined;
      if (!running) return current?.close();
      watchdog.start();
      status({ state: 'connected' });
    } catch (error) {
      const mapped = mapQQError(error, 'connect');
      if (mapped.status === 401 || mapped.status === 403) return fail(mapped.message);
      status({ state: 'disconnected', error: mapped.message });
      scheduleReconnect(backoff.nextDelayMs());
    }
  }

  const outbound = createQQOutbound(call, (id) => recent.markSent(id));

  return {
    specificationVersion: 1,
    name: 'qq',
    limits: { maxMessageLength: options.maxMessageLength },
    get self() {
      return self;
    },
    async start(startContext) {
      if (running) throw new ChannelApiError('qq', `${prefix} the channel is already started`, { retryable: false });
      context = startContext;
      lastState = undefined;
      running = true;
      status({ state: 'connecting' });
      try {
        await connect();
      } catch (error) {
        running = false;
        throw error;
      }
      watchdog.start();
      status({ state: 'connected' });
    },
    async stop() {
      running = false;
      watchdog.stop();
      if (retryTimer !== undefined) clock.clearTimeout(retryTimer);
      retryTimer = undefined;
      connection?.close();
      connection = undefined;
      await inbound;
    },
    ...outbound,
    fetchAttachment: (attachment, fetchOptions) =>
      fetchQQAttachment(attachment, fetchOptions, { fetch: options.fetch ?? globalThis.fetch, hosts: fileHosts }),
  };
}
