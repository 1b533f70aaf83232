import {
  type ChannelAdapter,
  type ChannelContext,
  type ChannelIdentity,
  ConfigError,
  type FetchFilesCapability,
  type FilesCapability,
  type MessageFormat,
  type SendReceipt,
  sendWithPlainFallback,
  silentLogger,
  type WebhookCapability,
} from '@ngb/plugin-sdk';
import { convertToWhatsAppMarkup, escapeWhatsAppText } from './convert-to-whatsapp-markup';
import { createWhatsAppCloudWebhook } from './whatsapp-cloud-webhook';
import { createWhatsAppGraphClient } from './whatsapp-graph-client';
import type { ResolvedWhatsAppChannelOptions } from './whatsapp-options';

/**
 * The Cloud API channel: webhooks in, the Graph API out. No edit, delete or typing: the Cloud API
 * cannot edit or delete a sent message.
 */
export type WhatsAppCloudChannel = ChannelAdapter & FilesCapability & FetchFilesCapability & WebhookCapability;

const prefix = '[@ngb/channel-whatsapp]';

function required(value: string | undefined, key: string, what: string): string {
  if (value === undefined) throw new ConfigError(`${prefix} the cloud mode needs ${what}`, { key });
  return value;
}

/** WhatsApp never refuses a text for its markup: markup that does not apply shows as written. */
const neverRejected = () => false;

/** Creates the Cloud API channel from resolved options (see `createWhatsAppChannel`). */
export function createWhatsAppCloudChannel(options: ResolvedWhatsAppChannelOptions): WhatsAppCloudChannel {
  const phoneNumberId = required(options.phoneNumberId, 'phoneNumberId', 'the phone number id (`phoneNumberId`)');
  const accessToken = required(options.accessToken, 'accessToken', 'the access token: set WHATSAPP_ACCESS_TOKEN');
  const appSecret = required(options.appSecret, 'appSecret', 'the app secret: set WHATSAPP_APP_SECRET');
  const verifyToken = required(options.verifyToken, 'verifyToken', 'the verify token: set WHATSAPP_VERIFY_TOKEN');
  let context: ChannelContext | undefined;
  let self: ChannelIdentity | undefined;
  let numbers = new Set<string>();
  const logger = () => context?.logger ?? options.logger ?? silentLogger;
  const graph = createWhatsAppGraphClient({
    apiBaseUrl: options.apiBaseUrl,
    apiVersion: options.apiVersion,
    accessToken,
    requestTimeoutMs: options.requestTimeoutMs,
    onError(error) {
      // A token revoked while running: say so once; webhooks keep being stored, sends fail clearly.
      if (error.status === 401 && context !== undefined) context.setStatus({ state: 'failed', error: error.message });
    },
  });

  const postText = (chatId: string, text: string, format: MessageFormat, replyTo: string | undefined) =>
    graph.sendMessage(phoneNumberId, {
      to: chatId,
      type: 'text',
      text: { body: format === 'markdown' ? convertToWhatsAppMarkup(text) : escapeWhatsAppText(text), preview_url: false },
      ...(replyTo ? { context: { message_id: replyTo } } : {}),
    });

  const adapter: WhatsAppCloudChannel = {
    specificationVersion: 1,
    name: 'whatsapp',
    limits: { maxMessageLength: options.maxMessageLength },
    get self() {
      return self;
    },
    async start(next) {
      await adapter.stop();
      const number = await graph.phoneNumber(phoneNumberId);
      const display = typeof number?.display_phone_number === 'string' ? number.display_phone_number : '';
      const name = typeof number?.verified_name === 'string' && number.verified_name !== '' ? number.verified_name : display;
      self = { id: phoneNumberId, name: name || phoneNumberId };
      numbers = new Set([phoneNumberId, display.replace(/\D/g, '')].filter((id) => id !== ''));
      context = next;
      next.setStatus({ state: 'connected', detail: 'Cloud API: waiting for webhooks at /channels/whatsapp/webhook' });
    },
    async stop() {
      context = undefined;
    },
    async send(address, message): Promise<SendReceipt> {
      const platformMessageId = await sendWithPlainFallback(
        message.format,
        (format) => postText(address.chatId, message.text, format, message.replyTo),
        neverRejected,
      );
      return { platformMessageId };
    },
    async sendFile(address, file) {
      const mimeType = file.mimeType ?? 'application/octet-stream';
      const mediaId = await graph.uploadMedia(phoneNumberId, { name: file.name, data: file.data, mimeType });
      const type = /^image\/(jpeg|png)$/.test(mimeType) ? 'image' : 'document';
      const caption = file.caption === undefined ? {} : { caption: escapeWhatsAppText(file.caption) };
      const platformMessageId = await graph.sendMessage(phoneNumberId, {
        to: address.chatId,
        type,
        [type]: { id: mediaId, ...caption, ...(type === 'document' ? { filename: file.name } : {}) },
      });
      return { platformMessageId };
    },
    fetchAttachment: (attachment, fetchOptions) =>
      graph.downloadMedia(attachment.reference, fetchOptions.maxBytes, fetchOptions.signal),
    handleWebhook: createWhatsAppCloudWebhook({
      appSecret,
      verifyToken,
      maxBodyBytes: options.maxBodyBytes,
      running: () => {
        const started = context;
        const selfId = self?.id;
        return started === undefined || selfId === undefined
          ? undefined
          : { receive: (message) => started.receive(message), bot: { numbers, selfId } };
      },
      logger,
    }),
  };
  return adapter;
}
