import { EventDispatcher, type HttpInstance, type HttpRequestOptions, LoggerLevel, WSClient } from '@larksuiteoapi/node-sdk';
import {
  ChannelApiError,
  type ChannelStatus,
  type Clock,
  createConnectionWatchdog,
  createReconnectBackoff,
  type Logger,
  type TimerHandle,
} from '@ngb/plugin-sdk';
import { FeishuResponseError, mapFeishuError } from './map-feishu-error';

const prefix = '[@ngb/channel-feishu]';

/** Options of {@link createFeishuLongConnection}. */
export interface FeishuLongConnectionOptions {
  appId: string;
  appSecret: string;
  /** The API base URL: the endpoint lookup is `<baseUrl>/callback/ws/endpoint`. */
  baseUrl: string;
  clock: Clock;
  /** Quiet time (no event, no pong) after which the connection is `degraded`; twice that, it is replaced. */
  watchdogMs: number;
  /** Hands an event to the channel; resolves once `receive` resolved (the ack is sent only then). */
  handleEvent(eventType: string, event: unknown): Promise<void>;
  logger(): Logger;
  setStatus(status: ChannelStatus): void;
}

/** The parts of the `ws` socket read here. */
interface SdkSocket {
  on(event: 'message' | 'close', listener: () => void): unknown;
}

/** One connection: the SDK's client and its socket. */
interface Session {
  client: WSClient;
  socket: SdkSocket;
}

/**
 * The socket the SDK opened. The SDK reads pongs itself and reports none, and the watchdog must count
 * them (a quiet chat is not a deaf connection), so every frame is watched on the socket.
 */
function socketOf(client: WSClient): SdkSocket {
  const socket = (client as unknown as { wsConfig?: { getWSInstance?(): unknown } }).wsConfig?.getWSInstance?.();
  if (typeof (socket as Partial<SdkSocket> | null | undefined)?.on !== 'function') {
    throw new ChannelApiError(
      'feishu',
      `${prefix} the Lark SDK's WSClient no longer exposes its socket (wsConfig.getWSInstance), so pongs cannot be watched: use @larksuiteoapi/node-sdk 1.74 or "mode": "webhook"`,
      { retryable: false },
    );
  }
  return socket as SdkSocket;
}

/**
 * The SDK's logger, forwarded to the channel's (the SDK would print to the console). Its level is `warn`:
 * its info and debug lines carry the connection URL (with its ticket) and event contents.
 */
function sdkLogger(logger: () => Logger) {
  const line = (parts: unknown) =>
    `${prefix} Lark SDK: ${(Array.isArray(parts) ? parts : [parts]).map((part) => (part instanceof Error ? part.message : String(part))).join(' ')}`;
  return {
    error: (parts: unknown) => logger().warn(line(parts)),
    warn: (parts: unknown) => logger().warn(line(parts)),
    info: (parts: unknown) => logger().debug(line(parts)),
    debug: (parts: unknown) => logger().debug(line(parts)),
    trace: (parts: unknown) => logger().debug(line(parts)),
  };
}

/**
 * The SDK's HTTP instance (only the endpoint lookup goes through it), on `fetch`, noting Feishu's
 * refusal: the SDK reads a refusal without `data` as a network failure and reports only that it could
 * not connect.
 */
function lookupHttp(onRefused: (error: unknown) => void): HttpInstance {
  async function request<T, R = T, D = unknown>(config: HttpRequestOptions<D>): Promise<R> {
    const response = await fetch(config.url ?? '', {
      method: (config.method ?? 'GET').toUpperCase(),
      headers: { 'content-type': 'application/json', ...config.headers },
      ...(config.data !== undefined ? { body: JSON.stringify(config.data) } : {}),
      signal: AbortSignal.timeout(config.timeout ?? 15_000),
    });
    const body: unknown = await response.json().catch(() => undefined);
    const { code, msg } = (typeof body === 'object' && body !== null ? body : {}) as { code?: unknown; msg?: unknown };
    if (typeof code === 'number' && code !== 0) {
      onRefused(new FeishuResponseError(code, typeof msg === 'string' ? msg : '', response.status));
    } else if (!response.ok) {
      const error = mapFeishuError({ response: { status: response.status, data: body, headers: {} } });
      onRefused(error);
      throw error;
    }
    return body as R;
  }
  const withBody =
    (method: string) =>
    <T, R = T, D = unknown>(url: string, data?: D, config?: HttpRequestOptions<D>) =>
      request<T, R, D>({ ...config, url, method, ...(data !== undefined ? { data } : {}) });
  const withoutBody =
    (method: string) =>
    <T, R = T, D = unknown>(url: string, config?: HttpRequestOptions<D>) =>
      request<T, R, D>({ ...config, url, method });
  return {
    request,
    get: withoutBody('GET'),
    delete: withoutBody('DELETE'),
    head: withoutBody('HEAD'),
    options: withoutBody('OPTIONS'),
    post: withBody('POST'),
    put: withBody('PUT'),
    patch: withBody('PATCH'),
  };
}

/**
 * Feishu's long connection through the SDK's `WSClient` (endpoint lookup, `pbbp2.Frame` protobuf frames,
 * pings, acks sent once the handler resolved: 200, or 500 when it threw so Feishu delivers again), with
 * the SDK's own reconnect loop off: reconnects are owned here, on the injected clock, with the shared
 * backoff, and the watchdog counts every frame (pongs included) as life.
 */
export function createFeishuLongConnection(options: FeishuLongConnectionOptions) {
  const { clock } = options;
  const logger = sdkLogger(options.logger);
  let session: Session | undefined;
  let running = false;
  let connecting = false;
  let retryTimer: TimerHandle | undefined;
  const backoff = createReconnectBackoff({ clock });

  const watchdog = createConnectionWatchdog({
    clock,
    timeoutMs: options.watchdogMs,
    onDeaf: (quietMs) =>
      options.setStatus({ state: 'degraded', detail: `no frame or pong from Feishu for ${Math.round(quietMs / 1000)} s` }),
    onDead: () => void reconnect(),
    onAlive: () => options.setStatus({ state: 'connected' }),
  });

  async function open(): Promise<Session> {
    let settle: { resolve(): void; reject(error: unknown): void } | undefined;
    let refused: unknown;
    const ready = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    const client = new WSClient({
      appId: options.appId,
      appSecret: options.appSecret,
      domain: options.baseUrl,
      autoReconnect: false,
      logger,
      loggerLevel: LoggerLevel.warn,
      handshakeTimeoutMs: 15_000,
      httpInstance: lookupHttp((error) => {
        refused = error;
      }),
      onReady: () => settle?.resolve(),
      onError: (error) => settle?.reject(refused ?? error),
    });
    const dispatcher = new EventDispatcher({ logger, loggerLevel: LoggerLevel.warn }).register({
      'im.message.receive_v1': (data: unknown) => options.handleEvent('im.message.receive_v1', data),
      'im.message.recalled_v1': (data: unknown) => options.handleEvent('im.message.recalled_v1', data),
    });
    try {
      await client.start({ eventDispatcher: dispatcher });
      await ready;
      const socket = socketOf(client);
      const next: Session = { client, socket };
      socket.on('message', () => {
        if (session === next) watchdog.alive();
      });
      socket.on('close', () => {
        if (session !== next || !running) return;
        options.setStatus({ state: 'disconnected', error: 'the long connection closed; connecting again' });
        schedule(backoff.nextDelayMs());
      });
      backoff.opened();
      return next;
    } catch (error) {
      client.close({ force: true });
      throw mapFeishuError(error);
    }
  }

  function closeSession(): void {
    const old = session;
    session = undefined;
    old?.client.close({ force: true });
  }

  function schedule(delayMs: number): void {
    if (!running) return;
    if (retryTimer !== undefined) clock.clearTimeout(retryTimer);
    retryTimer = clock.setTimeout(() => void reconnect(), delayMs);
  }

  async function reconnect(): Promise<void> {
    if (!running || connecting) return;
    connecting = true;
    // Silent while connecting: a lookup slower than the watchdog must not be torn down and begun again.
    watchdog.stop();
    if (retryTimer !== undefined) clock.clearTimeout(retryTimer);
    retryTimer = undefined;
    closeSession();
    options.setStatus({ state: 'connecting' });
    try {
      const next = await open();
      if (!running) {
        next.client.close({ force: true });
        return;
      }
      session = next;
      watchdog.start();
      options.setStatus({ state: 'connected' });
    } catch (error) {
      const mapped = mapFeishuError(error);
      if (mapped.status === 401 || mapped.status === 403) {
        running = false;
        options.setStatus({ state: 'failed', error: mapped.message });
        return;
      }
      options.setStatus({ state: 'disconnected', error: mapped.message });
      schedule(backoff.nextDelayMs());
    } finally {
      connecting = false;
    }
  }

  return {
    /**
     * Opens the connection; resolves once it is open.
     * @throws ChannelApiError 401 when Feishu refuses the app's credentials at the endpoint lookup
     */
    async start(): Promise<void> {
      await this.stop();
      running = true;
      try {
        const next = await open();
        if (!running) {
          next.client.close({ force: true });
          return;
        }
        session = next;
      } catch (error) {
        running = false;
        throw error;
      }
      watchdog.start();
    },
    /** Closes the connection and cancels every timer. */
    async stop(): Promise<void> {
      running = false;
      watchdog.stop();
      if (retryTimer !== undefined) clock.clearTimeout(retryTimer);
      retryTimer = undefined;
      closeSession();
    },
  };
}
