import { ChannelApiError, type ChannelStatus, type Clock, errorMessage, type Logger, type TimerHandle } from '@ngb/plugin-sdk';
import type { BaileysEventMap } from 'baileys';
import { whatsAppUserId } from './normalize-whatsapp-web-message';
import { prepareAuthDirectory } from './whatsapp-auth-state';
import type { CreateWhatsAppWebSocket, WhatsAppWebSocket } from './whatsapp-web-socket';

/** Settings of {@link createWhatsAppWebConnection}. */
export interface WhatsAppWebConnectionSettings {
  authDirectory: string;
  reconnectDelaysMs: readonly number[];
  clock: Clock;
  logger(): Logger;
  createSocket: CreateWhatsAppWebSocket;
  setStatus(status: ChannelStatus): void;
  onMessages(socket: WhatsAppWebSocket, upsert: BaileysEventMap['messages.upsert']): Promise<void>;
  onUpdates(updates: BaileysEventMap['messages.update']): Promise<void>;
}

const prefix = '[@ngb/channel-whatsapp]';
const linkInstructions = 'WhatsApp → Settings → Linked devices → Link a device';
// Baileys' DisconnectReason values (constants here, so Baileys loads only when a socket is made).
const loggedOut = 401;
const forbidden = 403;
const restartRequired = 515;

/**
 * One WhatsApp Web connection kept open: a Baileys socket per attempt; a QR code to scan reported as
 * the status's `login`; on close, `loggedOut` (401) and `forbidden` (403) are `failed` with what to do
 * (no retry), `restartRequired` (515) reconnects at once, anything else reconnects after the next
 * delay of `reconnectDelaysMs` on the injected clock. Baileys' own keep-alive (a ping every 30 s,
 * closing with 408 when unanswered) is what notices a deaf connection; that close reconnects here.
 */
export function createWhatsAppWebConnection(settings: WhatsAppWebConnectionSettings) {
  let socket: WhatsAppWebSocket | undefined;
  let open = false;
  let self: { id: string; lid?: string; name: string } | undefined;
  let timer: TimerHandle | undefined;
  let failures = 0;
  let generation = 0;
  let firstOutcome: { resolve(): void; reject(error: unknown): void } | undefined;

  const settle = (error?: unknown) => {
    const waiting = firstOutcome;
    firstOutcome = undefined;
    if (error === undefined) waiting?.resolve();
    else waiting?.reject(error);
  };

  const detach = () => {
    const closing = socket;
    socket = undefined;
    open = false;
    generation += 1;
    if (closing) {
      try {
        closing.end(undefined);
      } catch {
        // already closed
      }
    }
  };

  function onClose(update: BaileysEventMap['connection.update']) {
    const status = (update.lastDisconnect?.error as { output?: { statusCode?: unknown } } | undefined)?.output?.statusCode;
    const reason = errorMessage(update.lastDisconnect?.error ?? 'closed');
    detach();
    if (status === loggedOut) {
      const error = `${prefix} logged out on the phone: delete ${settings.authDirectory} and scan a new QR code`;
      settings.setStatus({ state: 'failed', error });
      settle(new ChannelApiError('whatsapp', error, { status: 401 }));
      return;
    }
    if (status === forbidden) {
      const error = `${prefix} WhatsApp refused this account (403: banned or forbidden); check the phone`;
      settings.setStatus({ state: 'failed', error });
      settle(new ChannelApiError('whatsapp', error, { status: 403 }));
      return;
    }
    settle();
    if (status === restartRequired) {
      void connect();
      return;
    }
    const delay = settings.reconnectDelaysMs[Math.min(failures, settings.reconnectDelaysMs.length - 1)] ?? 0;
    failures += 1;
    settings.setStatus({ state: 'disconnected', error: `${prefix} ${reason} (${String(status ?? 'no status')}); reconnecting` });
    timer = settings.clock.setTimeout(() => {
      timer = undefined;
      void connect();
    }, delay);
  }

  async function connect(): Promise<void> {
    const mine = ++generation;
    settings.setStatus({ state: 'connecting' });
    let next: WhatsAppWebSocket;
    try {
      next = await settings.createSocket({ authDirectory: settings.authDirectory, logger: settings.logger });
    } catch (error) {
      settle(error);
      return;
    }
    if (mine !== generation) {
      next.end(undefined);
      return;
    }
    socket = next;
    next.ev.on('connection.update', (update) => {
      if (socket !== next) return;
      if (update.qr) {
        settings.setStatus({ state: 'connecting', login: { kind: 'qr', code: update.qr, instructions: linkInstructions } });
        settle();
      }
      if (update.connection === 'open') {
        const user = next.user;
        if (user?.id) {
          self = { id: whatsAppUserId(user.id), name: user.name || whatsAppUserId(user.id) };
          if (user.lid) self.lid = whatsAppUserId(user.lid);
        }
        open = true;
        failures = 0;
        settings.setStatus({ state: 'connected' });
        settle();
      }
      if (update.connection === 'close') onClose(update);
    });
    next.ev.on('messages.upsert', (upsert) => {
      if (socket === next) void settings.onMessages(next, upsert);
    });
    next.ev.on('messages.update', (updates) => {
      if (socket === next) void settings.onUpdates(updates);
    });
  }

  return {
    /**
     * Connects; resolves once the connection opened, a QR code waits to be scanned, or the first
     * attempt closed with a reason that retries (reconnecting goes on in the background).
     * @throws ConfigError for an unsafe keys directory; ChannelApiError 401/403 when logged out or banned
     */
    async start(): Promise<void> {
      await prepareAuthDirectory(settings.authDirectory);
      failures = 0;
      const outcome = new Promise<void>((resolve, reject) => {
        firstOutcome = { resolve, reject };
      });
      await connect();
      await outcome;
    },
    async stop(): Promise<void> {
      if (timer !== undefined) settings.clock.clearTimeout(timer);
      timer = undefined;
      settle();
      detach();
    },
    /** The socket, when the connection is open. */
    openSocket: () => (open ? socket : undefined),
    /** The linked account, once a connection opened. */
    self: () => self,
  };
}
