import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { ChannelApiError, type ChannelStatus, type Clock, type Logger, type TimerHandle } from '@ngb/plugin-sdk';
import type { SocketModeClient } from '@slack/socket-mode';
import { mapSlackError } from './map-slack-error';
import { slackSdkLogger } from './slack-sdk-logger';

/** Options of {@link createSlackSocketConnection}. */
export interface SlackSocketConnectionOptions {
  appToken: string;
  apiUrl: string;
  requestTimeoutMs: number;
  /** Nothing (no frame, no server ping) for this long: `degraded`, then a new connection. */
  watchdogMs: number;
  /** Waits before reconnecting after a drop or a failed attempt, one per consecutive failure. */
  reconnectDelaysMs: readonly number[];
  clock: Clock;
  logger(): Logger;
  setStatus(status: ChannelStatus): void;
  /**
   * Handles the `event_callback` of one `events_api` envelope. The envelope is acknowledged once it
   * resolves; when it throws it is not, and Slack delivers it again.
   */
  onEvent(body: unknown, retryAttempt: number): Promise<void>;
  /**
   * Handles the payload of one `interactive` envelope (a button press). The envelope is acknowledged
   * once it settles, whether or not it threw: Slack shows the person an error for a press left
   * unacknowledged for three seconds, and does not deliver it again.
   */
  onInteraction(body: unknown): Promise<void>;
}

// undici publishes every WebSocket ping it receives here; the SDK itself listens to the same channel.
const pingChannel = 'undici:websocket:ping';

/**
 * One Socket Mode connection kept alive: `apps.connections.open` then the WebSocket, through
 * @slack/socket-mode with its own reconnection turned off so that one policy (this one, on the
 * injected clock) decides. A `disconnect` frame reconnects at once; a drop or a failed attempt waits
 * `reconnectDelaysMs`; a refused token or scope (401/403) marks the channel `failed` and stops.
 * The watchdog counts every frame and every server ping; when neither came for `watchdogMs` the
 * connection is reported `degraded` and replaced, with a fresh `apps.connections.open`.
 */
export function createSlackSocketConnection(options: SlackSocketConnectionOptions) {
  const { clock } = options;
  let client: SocketModeClient | undefined;
  let running = false;
  let connected = false;
  let generation = 0;
  let failures = 0;
  let disconnectFrame = false;
  let watchdog: TimerHandle | undefined;
  let reconnectTimer: TimerHandle | undefined;
  let stopPing: (() => void) | undefined;

  const delayFor = (failureCount: number) =>
    options.reconnectDelaysMs[Math.min(failureCount, options.reconnectDelaysMs.length - 1)] ?? 1_000;

  function clearTimers(): void {
    if (watchdog !== undefined) clock.clearTimeout(watchdog);
    if (reconnectTimer !== undefined) clock.clearTimeout(reconnectTimer);
    watchdog = undefined;
    reconnectTimer = undefined;
  }

  function armWatchdog(current: number): void {
    if (watchdog !== undefined) clock.clearTimeout(watchdog);
    watchdog = clock.setTimeout(() => onSilence(current), options.watchdogMs);
  }

  function alive(current: number): void {
    if (current === generation && running) armWatchdog(current);
  }

  function release(): void {
    stopPing?.();
    stopPing = undefined;
    const previous = client;
    client = undefined;
    connected = false;
    if (previous) void previous.disconnect().catch(() => undefined);
  }

  async function open(current: number): Promise<void> {
    const { SocketModeClient } = await import('@slack/socket-mode');
    const created = new SocketModeClient({
      appToken: options.appToken,
      autoReconnectEnabled: false,
      // The SDK's own ping check (real timers) stays only as a backstop behind this watchdog.
      serverPingTimeout: Math.min(options.watchdogMs * 2, 2 ** 31 - 1),
      clientOptions: {
        slackApiUrl: options.apiUrl,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        timeout: options.requestTimeoutMs,
      },
      logger: slackSdkLogger(options.logger),
    });
    client = created;
    const onPing = (message: unknown) => {
      const socket = (created as unknown as { websocket?: { websocket?: unknown } }).websocket?.websocket;
      if (socket !== undefined && (message as { websocket?: unknown } | undefined)?.websocket === socket) alive(current);
    };
    subscribe(pingChannel, onPing);
    stopPing = () => unsubscribe(pingChannel, onPing);
    created.on('ws_message', (data: unknown) => {
      alive(current);
      if (typeof data === 'string' && data.includes('"disconnect"') && /"type"\s*:\s*"disconnect"/.test(data))
        disconnectFrame = true;
    });
    created.on('slack_event', (envelope: { ack(): Promise<void>; type: string; body: unknown; retry_num?: number }) => {
      void deliver(envelope);
    });
    created.on('disconnected', () => onClosed(current));
    armWatchdog(current);
    try {
      await created.start();
    } catch (error) {
      throw (
        error ?? new ChannelApiError('slack', '[@ngb/channel-slack] the Socket Mode connection closed before Slack said hello')
      );
    }
  }

  async function deliver(envelope: { ack(): Promise<void>; type: string; body: unknown; retry_num?: number }): Promise<void> {
    if (envelope.type === 'events_api') {
      try {
        await options.onEvent(envelope.body, envelope.retry_num ?? 0);
      } catch (error) {
        options.logger().warn('slack event not stored; left unacknowledged so Slack delivers it again', {
          error: error instanceof Error ? error.message : String(error),
        });
        return;
      }
    }
    if (envelope.type === 'interactive') {
      await options.onInteraction(envelope.body).catch((error: unknown) => {
        options.logger().warn('slack button press not taken', { error: error instanceof Error ? error.message : String(error) });
      });
    }
    await envelope.ack().catch((error: unknown) => {
      options.logger().warn('slack ack failed', { error: error instanceof Error ? error.message : String(error) });
    });
  }

  /** One attempt: a fresh connection, resolved once Slack said hello. */
  async function connect(): Promise<void> {
    generation += 1;
    const current = generation;
    release();
    clearTimers();
    options.setStatus({ state: 'connecting' });
    try {
      await open(current);
    } catch (error) {
      if (current === generation) {
        release();
        clearTimers();
      }
      throw mapSlackError(error);
    }
    if (current !== generation || !running) return;
    connected = true;
    failures = 0;
    options.setStatus({ state: 'connected' });
  }

  async function attempt(): Promise<void> {
    if (!running) return;
    try {
      await connect();
    } catch (error) {
      if (!running) return;
      const mapped = mapSlackError(error);
      if (mapped.status === 401 || mapped.status === 403) {
        running = false;
        release();
        clearTimers();
        options.logger().error('slack refused the connection; not reconnecting', { error: mapped.message });
        options.setStatus({ state: 'failed', error: mapped.message });
        return;
      }
      options.setStatus({ state: 'disconnected', error: mapped.message });
      schedule(delayFor(failures));
      failures += 1;
    }
  }

  function schedule(delayMs: number): void {
    if (!running || reconnectTimer !== undefined) return;
    reconnectTimer = clock.setTimeout(() => {
      reconnectTimer = undefined;
      void attempt();
    }, delayMs);
  }

  function onClosed(current: number): void {
    if (current !== generation || !running || !connected) return;
    connected = false;
    stopPing?.();
    if (watchdog !== undefined) clock.clearTimeout(watchdog);
    watchdog = undefined;
    const atOnce = disconnectFrame;
    disconnectFrame = false;
    options.setStatus({
      state: 'disconnected',
      error: atOnce ? 'Slack asked for a reconnection (disconnect frame)' : 'the Socket Mode connection closed',
    });
    if (atOnce) void attempt();
    else {
      schedule(delayFor(failures));
      failures += 1;
    }
  }

  function onSilence(current: number): void {
    if (current !== generation || !running) return;
    watchdog = undefined;
    if (!connected) {
      // No hello in time: closing makes the pending start fail, and `attempt` retries.
      void client?.disconnect().catch(() => undefined);
      return;
    }
    options.setStatus({
      state: 'degraded',
      detail: `nothing from Slack (no event, no ping) for ${options.watchdogMs} ms; reconnecting`,
    });
    options.logger().warn('slack socket silent; reconnecting', { watchdogMs: options.watchdogMs });
    void attempt();
  }

  return {
    /**
     * Connects once (resolving after Slack's hello) and keeps the connection up from then on.
     * @throws ChannelApiError of the first attempt (401/403 for a refused app token)
     */
    async start(): Promise<void> {
      running = true;
      failures = 0;
      try {
        await connect();
      } catch (error) {
        running = false;
        release();
        clearTimers();
        throw error;
      }
    },
    /** Closes the connection and cancels every timer; nothing is delivered after it resolves. */
    async stop(): Promise<void> {
      running = false;
      generation += 1;
      clearTimers();
      stopPing?.();
      stopPing = undefined;
      const previous = client;
      client = undefined;
      connected = false;
      if (previous) await previous.disconnect().catch(() => undefined);
    },
  };
}
