import { ChannelApiError, type Clock, type TimerHandle } from '@ngb/plugin-sdk';
import WebSocket from 'ws';
import { mapQQError, type OneBotResponse } from './map-qq-error';

const prefix = '[@ngb/channel-qq]';
// Responses whose echo is no longer awaited are dropped; this bounds what a confused peer can make us hold.
const maxPending = 1_000;

/** What opening a connection needs. */
export interface OneBotConnectionSettings {
  url: string;
  accessToken?: string;
  clock: Clock;
  actionTimeoutMs: number;
  /** Every event (anything without an `echo`), parsed. */
  onEvent(event: Record<string, unknown>): void;
  /** The socket closed (not called after `close()`). */
  onClose(reason: string): void;
}

/** One open OneBot v11 forward WebSocket: events in, actions out matched to their answers by `echo`. */
export interface OneBotConnection {
  /**
   * Runs an action and resolves with its `data`.
   * @throws ChannelApiError from {@link mapQQError}: a failed status or retcode, a timeout, a closed socket
   */
  call(action: string, params: Record<string, unknown>): Promise<unknown>;
  /** Closes the socket (without waiting for the peer) and rejects every pending action. */
  close(): void;
}

interface Pending {
  action: string;
  resolve(data: unknown): void;
  reject(error: ChannelApiError): void;
  timer: TimerHandle;
}

/**
 * Opens the universal forward WebSocket with the access token as `Authorization: Bearer`. A 401 or 403
 * at the upgrade rejects with a ChannelApiError of that status (not retryable).
 */
export function openOneBotConnection(settings: OneBotConnectionSettings): Promise<OneBotConnection> {
  const { clock } = settings;
  const pending = new Map<string, Pending>();
  let counter = 0;
  let closed = false;
  const socket = new WebSocket(settings.url, {
    headers: settings.accessToken === undefined ? {} : { Authorization: `Bearer ${settings.accessToken}` },
    handshakeTimeout: settings.actionTimeoutMs,
    // Events carry file URLs, not file contents: a frame past this is no OneBot event.
    maxPayload: 16 * 1024 * 1024,
  });

  const rejectAll = (reason: string) => {
    for (const [echo, entry] of pending) {
      clock.clearTimeout(entry.timer);
      entry.reject(new ChannelApiError('qq', `${prefix} ${entry.action} was not answered: ${reason}`, { retryable: true }));
      pending.delete(echo);
    }
  };

  const onMessage = (raw: WebSocket.RawData) => {
    let payload: unknown;
    try {
      payload = JSON.parse(raw.toString());
    } catch {
      return;
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return;
    const record = payload as Record<string, unknown>;
    if ('echo' in record && !('post_type' in record)) {
      const echo = typeof record.echo === 'string' ? record.echo : JSON.stringify(record.echo);
      const entry = pending.get(echo);
      if (!entry) return;
      pending.delete(echo);
      clock.clearTimeout(entry.timer);
      const response = record as OneBotResponse;
      // `async` (retcode 1): the implementation took the action and finishes it later.
      const accepted =
        response.status === 'ok' || response.status === 'async' || (response.status === undefined && response.retcode === 0);
      if (accepted) entry.resolve(response.data);
      else entry.reject(mapQQError(response, entry.action));
      return;
    }
    settings.onEvent(record);
  };

  const connection: OneBotConnection = {
    call(action, params) {
      if (closed || socket.readyState !== WebSocket.OPEN)
        return Promise.reject(
          new ChannelApiError('qq', `${prefix} ${action}: the OneBot connection is not open`, { retryable: true }),
        );
      if (pending.size >= maxPending)
        return Promise.reject(
          new ChannelApiError('qq', `${prefix} ${action}: too many actions waiting for an answer`, { retryable: true }),
        );
      counter += 1;
      const echo = `ngb-${counter}-${clock.now().toString(36)}`;
      return new Promise((resolve, reject) => {
        const timer = clock.setTimeout(() => {
          pending.delete(echo);
          reject(
            new ChannelApiError('qq', `${prefix} ${action} got no answer within ${settings.actionTimeoutMs} ms`, {
              retryable: true,
            }),
          );
        }, settings.actionTimeoutMs);
        pending.set(echo, { action, resolve, reject, timer });
        socket.send(JSON.stringify({ action, params, echo }), (error) => {
          if (!error || !pending.has(echo)) return;
          pending.delete(echo);
          clock.clearTimeout(timer);
          reject(mapQQError(error, action));
        });
      });
    },
    close() {
      if (closed) return;
      closed = true;
      rejectAll('the channel closed the connection');
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
    },
  };

  return new Promise((resolve, reject) => {
    socket.once('unexpected-response', (_request, response) => {
      const status = response.statusCode ?? 0;
      response.resume();
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
      closed = true;
      const auth = status === 401 || status === 403;
      reject(
        new ChannelApiError(
          'qq',
          auth
            ? `${prefix} the OneBot implementation refused the access token (HTTP ${status}): set QQ_ONEBOT_ACCESS_TOKEN to the token in its network settings`
            : `${prefix} the OneBot WebSocket upgrade was answered with HTTP ${status}`,
          { status: auth ? 401 : status, retryable: !auth },
        ),
      );
    });
    socket.once('open', () => {
      socket.on('message', onMessage);
      socket.on('close', (code, reason) => {
        if (closed) return;
        closed = true;
        const why = `the OneBot connection closed (code ${code}${reason.length > 0 ? `, ${reason.toString()}` : ''})`;
        rejectAll(why);
        settings.onClose(why);
      });
      resolve(connection);
    });
    socket.on('error', (error) => {
      if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.CLOSED) {
        if (closed) return;
        closed = true;
        reject(mapQQError(error, 'connect'));
      }
    });
  });
}
