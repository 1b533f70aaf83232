// Test support: a recording stand-in for Baileys' socket. Baileys' own wire protocol (a Noise handshake
// and binary frames) cannot be served on loopback, so the channel's mapping is exercised through the
// same event and send interfaces, typed from Baileys' own types (`WhatsAppWebSocket`).
import { EventEmitter } from 'node:events';
import type { AnyMessageContent, WAMessage } from 'baileys';
import type { WhatsAppWebEvents, WhatsAppWebSocket } from '../whatsapp-web-socket';

/** A call the channel made on the socket. */
type RecordedWhatsAppCall =
  | { method: 'sendMessage'; jid: string; content: AnyMessageContent; quoted?: WAMessage; id: string }
  | { method: 'sendPresenceUpdate'; type: string; jid?: string }
  | { method: 'end' }
  | { method: 'logout' };

/** The stand-in: the socket the channel sees, plus what tests drive and read. */
export interface RecordingWhatsAppSocket extends WhatsAppWebSocket {
  readonly calls: RecordedWhatsAppCall[];
  emit<Event extends keyof WhatsAppWebEvents>(event: Event, data: WhatsAppWebEvents[Event]): void;
  /** Emits `connection.update` `open` (as Baileys does once the linked device logged in). */
  open(): void;
  /** Emits `connection.update` `close` with a Boom-shaped error of this status. */
  close(statusCode: number, message?: string): void;
  /** The next send fails with this error. */
  failNext(error: Error): void;
  /** True once the channel ended the socket. */
  readonly ended: boolean;
}

let counter = 0;

/** Creates a stand-in for one Baileys socket of the linked account `user`. */
export function createRecordingWhatsAppSocket(
  user = { id: '15550001111:7@s.whatsapp.net', lid: '210987654321:7@lid', name: 'ngb bot' },
): RecordingWhatsAppSocket {
  const events = new EventEmitter();
  const calls: RecordedWhatsAppCall[] = [];
  let failure: Error | undefined;
  let ended = false;
  const takeFailure = () => {
    const next = failure;
    failure = undefined;
    if (next) throw next;
  };
  const socket: RecordingWhatsAppSocket = {
    calls,
    user: undefined,
    get ended() {
      return ended;
    },
    ev: {
      on: (event, listener) => void events.on(event, listener as (data: unknown) => void),
      off: (event, listener) => void events.off(event, listener as (data: unknown) => void),
    },
    emit: (event, data) => void events.emit(event, data),
    open() {
      socket.user = user;
      events.emit('connection.update', { connection: 'open' });
    },
    close(statusCode, message = 'Connection Closed') {
      const error = Object.assign(new Error(message), { isBoom: true, output: { statusCode, payload: { statusCode, message } } });
      events.emit('connection.update', { connection: 'close', lastDisconnect: { error, date: new Date() } });
    },
    failNext(error) {
      failure = error;
    },
    async sendMessage(jid, content, options) {
      takeFailure();
      counter += 1;
      const id = `3EB0${counter.toString(16).toUpperCase().padStart(16, '0')}`;
      calls.push({ method: 'sendMessage', jid, content, ...(options?.quoted ? { quoted: options.quoted } : {}), id });
      return { key: { remoteJid: jid, id, fromMe: true }, message: {} } as WAMessage;
    },
    async sendPresenceUpdate(type, jid) {
      takeFailure();
      calls.push({ method: 'sendPresenceUpdate', type, ...(jid === undefined ? {} : { jid }) });
    },
    async readMessages() {},
    async groupMetadata(jid) {
      return { subject: `group ${jid.split('@')[0]}` };
    },
    end() {
      ended = true;
      calls.push({ method: 'end' });
    },
    async logout() {
      calls.push({ method: 'logout' });
    },
  };
  return socket;
}
