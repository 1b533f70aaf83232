import {
  type Attachment,
  type ChannelAdapter,
  ChannelApiError,
  type ChannelContext,
  type ChannelIdentity,
  type DeleteCapability,
  type EditCapability,
  errorMessage,
  type FetchFilesCapability,
  type FilesCapability,
  type InboundMessage,
  type MessageFormat,
  silentLogger,
  systemClock,
  type TypingCapability,
} from '@ngb/plugin-sdk';
import type { WAMessage } from 'baileys';
import { convertToWhatsAppMarkup, escapeWhatsAppText } from './convert-to-whatsapp-markup';
import {
  normalizeWhatsAppWebMessage,
  normalizeWhatsAppWebUpdate,
  whatsAppJid,
  whatsAppUserId,
} from './normalize-whatsapp-web-message';
import type { ResolvedWhatsAppChannelOptions } from './whatsapp-options';
import { createWhatsAppWebConnection } from './whatsapp-web-connection';
import {
  baileysMediaDownload,
  baileysSocketFactory,
  type CreateWhatsAppWebSocket,
  type DownloadWhatsAppWebMedia,
  type WhatsAppWebSocket,
} from './whatsapp-web-socket';

/** The WhatsApp Web channel (Baileys): edits, deletions, typing and files both ways. */
export type WhatsAppWebChannel = ChannelAdapter &
  EditCapability &
  DeleteCapability &
  TypingCapability &
  FilesCapability &
  FetchFilesCapability;

/** What tests (and a host with its own socket) inject. */
export interface WhatsAppWebDependencies {
  /** Opens a socket. @default Baileys' `makeWASocket` with the keys of `authDirectory` */
  createSocket?: CreateWhatsAppWebSocket;
  /** Downloads an inbound message's media. @default Baileys' `downloadMediaMessage` */
  downloadMedia?: DownloadWhatsAppWebMedia;
  /** Where the default socket connects. @default WhatsApp's own */
  waWebSocketUrl?: string;
}

const prefix = '[@ngb/channel-whatsapp]';
/** Recent inbound messages kept to quote in replies and to download media from; the oldest go first. */
const recentLimit = 500;
/** `WAMessageStubType.REVOKE` of Baileys' protocol (a constant, so Baileys need not load to read it). */
const revokeStubType = 1;

function mapBaileysError(error: unknown): ChannelApiError {
  if (ChannelApiError.isInstance(error)) return error;
  const status = (error as { output?: { statusCode?: unknown } } | undefined)?.output?.statusCode;
  const code = typeof status === 'number' ? status : undefined;
  const retryable = code === undefined || code >= 500 || code === 408 || code === 428 || code === 429;
  return new ChannelApiError('whatsapp', `${prefix} WhatsApp Web failed: ${errorMessage(error)}`, {
    ...(code === undefined ? {} : { status: code }),
    retryable,
    cause: error,
  });
}

/** Creates the WhatsApp Web channel from resolved options (see `createWhatsAppChannel`). */
export function createWhatsAppWebChannel(
  options: ResolvedWhatsAppChannelOptions & { authDirectory: string },
  dependencies: WhatsAppWebDependencies = {},
): WhatsAppWebChannel {
  const clock = options.clock ?? systemClock;
  let context: ChannelContext | undefined;
  const logger = () => context?.logger ?? options.logger ?? silentLogger;
  const recent = new Map<string, WAMessage>();
  const groupNames = new Map<string, string>();
  const download = dependencies.downloadMedia ?? baileysMediaDownload;

  const remember = (message: WAMessage) => {
    const id = `${whatsAppUserId(message.key.remoteJid ?? '')}/${message.key.id}`;
    recent.delete(id);
    recent.set(id, message);
    if (recent.size > recentLimit) recent.delete(recent.keys().next().value as string);
  };

  async function groupName(socket: WhatsAppWebSocket, jid: string): Promise<string | undefined> {
    if (groupNames.has(jid)) return groupNames.get(jid);
    const subject = await socket.groupMetadata(jid).then(
      (metadata) => metadata.subject,
      () => undefined,
    );
    if (subject !== undefined) {
      groupNames.set(jid, subject);
      if (groupNames.size > recentLimit) groupNames.delete(groupNames.keys().next().value as string);
    }
    return subject;
  }

  async function deliver(receive: ChannelContext['receive'], message: InboundMessage) {
    try {
      await receive(message);
    } catch (error) {
      // Baileys acknowledged the message already; say so, nothing else can be done.
      logger().error('whatsapp web message not stored', { error: errorMessage(error) });
    }
  }

  const connection = createWhatsAppWebConnection({
    authDirectory: options.authDirectory,
    reconnectDelaysMs: options.reconnectDelaysMs,
    clock,
    logger,
    createSocket: dependencies.createSocket ?? baileysSocketFactory(dependencies.waWebSocketUrl),
    setStatus: (status) => context?.setStatus(status),
    async onMessages(socket, upsert) {
      const started = context;
      const self = connection.self();
      if (upsert.type !== 'notify' || started === undefined || self === undefined) return;
      for (const message of upsert.messages) {
        const inbound = normalizeWhatsAppWebMessage(message, self);
        if (!inbound) continue;
        remember(message);
        if (inbound.chat.isGroup) {
          const name = await groupName(socket, whatsAppJid(inbound.chat.id));
          if (name !== undefined) inbound.chat.name = name;
        }
        await deliver(started.receive, inbound);
      }
    },
    async onUpdates(updates) {
      const started = context;
      if (started === undefined) return;
      for (const update of updates) {
        const inbound = normalizeWhatsAppWebUpdate(update, revokeStubType);
        if (inbound) await deliver(started.receive, inbound);
      }
    },
  });

  const call = async <T>(work: (socket: WhatsAppWebSocket) => Promise<T>): Promise<T> => {
    const socket = connection.openSocket();
    if (socket === undefined) {
      throw new ChannelApiError('whatsapp', `${prefix} WhatsApp Web is not connected`, { status: 503 });
    }
    try {
      return await work(socket);
    } catch (error) {
      throw mapBaileysError(error);
    }
  };
  const shown = (text: string, format: MessageFormat) =>
    format === 'markdown' ? convertToWhatsAppMarkup(text) : escapeWhatsAppText(text);
  const idOf = (sent: WAMessage | undefined) => {
    if (!sent?.key.id)
      throw new ChannelApiError('whatsapp', `${prefix} WhatsApp Web gave no id for the sent message`, { status: 502 });
    return sent.key.id;
  };
  const ownKey = (chatId: string, id: string) => ({ remoteJid: whatsAppJid(chatId), id, fromMe: true });

  const adapter: WhatsAppWebChannel = {
    specificationVersion: 1,
    name: 'whatsapp',
    limits: { maxMessageLength: options.maxMessageLength },
    get self(): ChannelIdentity | undefined {
      const self = connection.self();
      return self === undefined ? undefined : { id: self.id, name: self.name };
    },
    async start(next) {
      await adapter.stop();
      context = next;
      try {
        await connection.start();
      } catch (error) {
        context = undefined;
        throw error;
      }
    },
    async stop() {
      context = undefined;
      await connection.stop();
    },
    async send(address, message) {
      const quoted = message.replyTo === undefined ? undefined : recent.get(`${address.chatId}/${message.replyTo}`);
      const sent = await call((socket) =>
        socket.sendMessage(
          whatsAppJid(address.chatId),
          { text: shown(message.text, message.format) },
          quoted ? { quoted } : undefined,
        ),
      );
      return { platformMessageId: idOf(sent) };
    },
    async edit(address, platformMessageId, text, format = 'plain') {
      await call((socket) =>
        socket.sendMessage(whatsAppJid(address.chatId), {
          text: shown(text, format),
          edit: ownKey(address.chatId, platformMessageId),
        }),
      );
    },
    async delete(address, platformMessageId) {
      await call((socket) =>
        socket.sendMessage(whatsAppJid(address.chatId), { delete: ownKey(address.chatId, platformMessageId) }),
      );
    },
    async sendTyping(address) {
      await call((socket) => socket.sendPresenceUpdate('composing', whatsAppJid(address.chatId)));
    },
    async sendFile(address, file) {
      const data = Buffer.from(file.data);
      const caption = file.caption === undefined ? {} : { caption: escapeWhatsAppText(file.caption) };
      const mimetype = file.mimeType ?? 'application/octet-stream';
      const content = /^image\/(jpeg|png|webp)$/.test(mimetype)
        ? { image: data, mimetype, ...caption }
        : { document: data, fileName: file.name, mimetype, ...caption };
      return { platformMessageId: idOf(await call((socket) => socket.sendMessage(whatsAppJid(address.chatId), content))) };
    },
    async fetchAttachment(attachment: Attachment, fetchOptions) {
      const tooLarge = (size: number) =>
        new ChannelApiError(
          'whatsapp',
          `${prefix} the attachment has ${size} bytes, more than the ${fetchOptions.maxBytes} allowed`,
          {
            status: 413,
          },
        );
      if (attachment.size !== undefined && attachment.size > fetchOptions.maxBytes) throw tooLarge(attachment.size);
      const message = recent.get(attachment.reference);
      if (message === undefined) {
        throw new ChannelApiError(
          'whatsapp',
          `${prefix} the attachment is no longer at hand (only recent messages keep their media)`,
          {
            status: 404,
          },
        );
      }
      let stream: AsyncIterable<Uint8Array>;
      try {
        stream = await download(message);
      } catch (error) {
        throw mapBaileysError(error);
      }
      return (async function* limited() {
        let total = 0;
        for await (const chunk of stream) {
          total += chunk.length;
          if (total > fetchOptions.maxBytes) throw tooLarge(total);
          yield chunk;
        }
      })();
    },
  };
  return adapter;
}
