import {
  type ChannelAdapter,
  ChannelApiError,
  type ChannelContext,
  type ChannelIdentity,
  createConnectionSupervisor,
  type DeleteCapability,
  type FetchFilesCapability,
  type FilesCapability,
  parseOptions,
  systemClock,
} from '@ngb/plugin-sdk';
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
  const options = parseOptions(qqChannelOptionsSchema, input, prefix);
  const clock = options.clock ?? systemClock;
  const fileHosts = [new URL(options.url).host, ...options.attachmentHosts];
  let connection: OneBotConnection | undefined;
  let self: ChannelIdentity | undefined;
  let inbound: Promise<void> = Promise.resolve();
  const recent = createRecentMessages(500);
  /** Lets the current connection go, without waiting for its close. */
  function closeConnection(): void {
    connection?.close();
    connection = undefined;
  }
  const supervisor = createConnectionSupervisor({
    clock,
    channel: 'qq',
    prefix,
    connect,
    disconnect: closeConnection,
    mapError: (error) => mapQQError(error, 'connect'),
    // The watchdog's timeout follows the heartbeat interval the implementation announces, unless set.
    watchdog: {
      timeoutMs: options.watchdogMs ?? defaultWatchdogMs,
      deafDetail: (quietMs) => `no OneBot event or heartbeat for ${Math.round(quietMs / 1000)} s`,
    },
  });
  const context = (): ChannelContext | undefined => supervisor.context();
  const logger = () => context()?.logger ?? options.logger;

  const call = (action: string, params: Record<string, unknown>) => {
    if (!connection)
      return Promise.reject(new ChannelApiError('qq', `${prefix} the channel is not connected`, { retryable: true }));
    return connection.call(action, params);
  };

  function heartbeat(event: Record<string, unknown>): void {
    const interval = Number(event.interval);
    if (options.watchdogMs !== undefined || !Number.isFinite(interval) || interval <= 0) return;
    supervisor.retimeWatchdog(Math.max(1_000, Math.min(2 ** 31 - 1, Math.round(interval * 3))));
  }

  async function handle(owner: OneBotConnection, event: Record<string, unknown>): Promise<void> {
    const receiving = context();
    if (!supervisor.running() || owner !== connection || !receiving || !self) return;
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
    supervisor.alive();
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
        if (opened !== connection || !supervisor.running()) return;
        connection = undefined;
        supervisor.dropped(`${prefix} ${reason}; reconnecting`);
      },
    });
    opened = next;
    connection = next;
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

  const outbound = createQQOutbound(call, (id) => recent.markSent(id));

  return {
    specificationVersion: 1,
    name: 'qq',
    limits: { maxMessageLength: options.maxMessageLength },
    get self() {
      return self;
    },
    start: (startContext) => supervisor.start(startContext),
    async stop() {
      supervisor.stop();
      closeConnection();
      await inbound;
    },
    ...outbound,
    fetchAttachment: (attachment, fetchOptions) =>
      fetchQQAttachment(attachment, fetchOptions, { fetch: options.fetch ?? globalThis.fetch, hosts: fileHosts }),
  };
}
