import { ConfigError, type Logger } from '@ngb/plugin-sdk';
import type { AnyMessageContent, BaileysEventMap, WAMessage, WAMessageKey, WAPresence } from 'baileys';
import { baileysLogger } from './baileys-logger';
import { useSafeAuthState } from './whatsapp-auth-state';

/** The events of Baileys' socket the channel listens to. */
export type WhatsAppWebEvents = Pick<BaileysEventMap, 'connection.update' | 'messages.upsert' | 'messages.update'>;

/**
 * The slice of Baileys' socket (`ReturnType<typeof makeWASocket>`) the channel uses, typed
 * structurally from Baileys' own types, so tests can stand in for it.
 */
export interface WhatsAppWebSocket {
  ev: {
    on<Event extends keyof WhatsAppWebEvents>(event: Event, listener: (data: WhatsAppWebEvents[Event]) => void): void;
    off<Event extends keyof WhatsAppWebEvents>(event: Event, listener: (data: WhatsAppWebEvents[Event]) => void): void;
  };
  /** The linked account, once the connection opened. */
  user?: { id: string; lid?: string; name?: string };
  sendMessage(jid: string, content: AnyMessageContent, options?: { quoted?: WAMessage }): Promise<WAMessage | undefined>;
  sendPresenceUpdate(type: WAPresence, jid?: string): Promise<void>;
  readMessages(keys: WAMessageKey[]): Promise<void>;
  groupMetadata(jid: string): Promise<{ subject: string }>;
  end(error: Error | undefined): void;
  logout(message?: string): Promise<void>;
}

/** What the channel asks of a socket factory. */
interface WhatsAppWebSocketSettings {
  authDirectory: string;
  logger(): Logger;
}

/** Opens one Baileys socket (a new one for every connection attempt). */
export type CreateWhatsAppWebSocket = (settings: WhatsAppWebSocketSettings) => Promise<WhatsAppWebSocket>;

/** Downloads the media of a message Baileys delivered. */
export type DownloadWhatsAppWebMedia = (message: WAMessage) => Promise<AsyncIterable<Uint8Array>>;

/** The Baileys release this package is written and tested against: its optional peer dependency. */
export const baileysVersion = '6.17.16';

type Baileys = typeof import('baileys');

/**
 * Loads Baileys, which only the WhatsApp Web mode needs: it is an optional peer dependency, so an
 * install for the Cloud API mode does not carry it (nor what it pulls in).
 * @param specifier what to import
 * @throws ConfigError naming the install command when the package is not installed
 */
export async function loadBaileys(specifier = 'baileys'): Promise<Baileys> {
  try {
    return (await import(specifier)) as Baileys;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code !== 'ERR_MODULE_NOT_FOUND' || !String((error as Error).message).includes(`package '${specifier}'`)) throw error;
    throw new ConfigError(
      `[@ngb/channel-whatsapp] the WhatsApp Web mode needs the ${specifier} package, which is not installed: ` +
        `run \`npm install ${specifier}@${baileysVersion}\` where the gateway is installed, or use the Cloud API mode`,
      { key: 'mode', cause: error },
    );
  }
}

/**
 * The real socket: loads Baileys (only now), its keys from `authDirectory` (0700 / 0600), and
 * connects to `waWebSocketUrl` (WhatsApp's own by default; a loopback server in tests).
 */
export function baileysSocketFactory(waWebSocketUrl?: string): CreateWhatsAppWebSocket {
  return async ({ authDirectory, logger }) => {
    const baileys = await loadBaileys();
    const { state, saveCreds } = await useSafeAuthState(authDirectory, baileys);
    const socket = baileys.makeWASocket({
      auth: state,
      logger: baileysLogger(logger) as never,
      printQRInTerminal: false,
      markOnlineOnConnect: false,
      syncFullHistory: false,
      ...(waWebSocketUrl === undefined ? {} : { waWebSocketUrl }),
    });
    socket.ev.on('creds.update', () => {
      saveCreds().catch((error: unknown) =>
        logger().error('whatsapp web: the linked device keys could not be saved', {
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    });
    return socket as unknown as WhatsAppWebSocket;
  };
}

/** Baileys' media download, loaded only when an attachment is fetched. */
export const baileysMediaDownload: DownloadWhatsAppWebMedia = async (message) => {
  const { downloadMediaMessage } = await loadBaileys();
  return (await downloadMediaMessage(message, 'stream', {})) as AsyncIterable<Uint8Array>;
};
