import { createHash } from 'node:crypto';
import {
  type Address,
  type ChannelAdapter,
  type ChannelContext,
  type ChannelIdentity,
  ConfigError,
  type DeleteCapability,
  type EditCapability,
  type FetchFilesCapability,
  type FilesCapability,
  type MessageFormat,
  parseOptions,
  type SendReceipt,
  sendWithPlainFallback,
  silentLogger,
  systemClock,
  type ThreadsCapability,
  type WebhookCapability,
} from '@ngb/plugin-sdk';
import { convertToFeishuPost, escapeFeishuText } from './convert-to-feishu-post';
import { createFeishuApi } from './feishu-api';
import { cardOf, createCardMemory } from './feishu-cards';
import { createFeishuFiles } from './feishu-files';
import { createFeishuInbound } from './feishu-inbound';
import { createFeishuLongConnection } from './feishu-long-connection';
import { type FeishuChannelOptions, feishuBaseUrl, feishuChannelOptionsSchema } from './feishu-options';
import { createFeishuUserNames } from './feishu-user-names';
import { createFeishuWebhookHandler } from './feishu-webhook';
import { isFeishuMarkupRejected, mapFeishuError } from './map-feishu-error';

/**
 * The Feishu / Lark channel. No typing capability: Feishu offers bots no typing indicator.
 * `handleWebhook` exists only in `webhook` mode.
 */
export type FeishuChannel = ChannelAdapter &
  EditCapability &
  DeleteCapability &
  FilesCapability &
  FetchFilesCapability &
  ThreadsCapability &
  Partial<WebhookCapability>;

const name = 'feishu';
const prefix = '[@ngb/channel-feishu]';

/** A message's `msg_type` and `content` (a JSON string) for a text in a format. */
function contentOf(text: string, format: MessageFormat): { msg_type: string; content: string } {
  return format === 'markdown'
    ? { msg_type: 'post', content: JSON.stringify(convertToFeishuPost(text)) }
    : { msg_type: 'text', content: JSON.stringify({ text: escapeFeishuText(text) }) };
}

/**
 * Creates the Feishu / Lark channel: events over the long connection (`mode: 'websocket'`, the default:
 * the SDK's `WSClient`, reconnected here on the injected clock) or through the event request URL
 * (`mode: 'webhook'`, served by the server at `/channels/feishu/webhook`); the Open API through the SDK's
 * `Client` for everything sent.
 * @throws ConfigError naming the option when the options are invalid or the mode lacks its secret
 */
export function createFeishuChannel(input: FeishuChannelOptions): FeishuChannel {
  const options = parseOptions(feishuChannelOptionsSchema, input, prefix);
  // The SDK's WSClient silently does nothing for another shape of App ID.
  if (options.mode === 'websocket' && !/^cli_[0-9a-fA-F]{16}$/.test(options.appId)) {
    throw new ConfigError(
      `${prefix} option "appId" must be "cli_" and 16 hex digits for the long connection (mode "websocket"): copy the App ID from the developer console`,
      { key: 'appId' },
    );
  }
  const verificationToken = options.verificationToken;
  if (options.mode === 'webhook' && verificationToken === undefined) {
    throw new ConfigError(
      `${prefix} the webhook mode needs the verification token: pass \`verificationToken\` or set FEISHU_VERIFICATION_TOKEN`,
      { key: 'verificationToken' },
    );
  }
  const clock = options.clock ?? systemClock;
  let context: ChannelContext | undefined;
  let self: ChannelIdentity | undefined;
  const logger = () => context?.logger ?? options.logger ?? silentLogger;
  const api = createFeishuApi({
    appId: options.appId,
    appSecret: options.appSecret,
    baseUrl: feishuBaseUrl(options.domain),
    clock,
    onError(error) {
      // Credentials refused while running: say so once; nothing retries them.
      if (error.status === 401 && context !== undefined) context.setStatus({ state: 'failed', error: error.message });
    },
  });
  const userNames = createFeishuUserNames({
    clock,
    size: 1_000,
    ttlMs: 60 * 60_000,
    async lookup(openId) {
      const body = await api.call({
        method: 'GET',
        path: `/open-apis/contact/v3/users/${encodeURIComponent(openId)}`,
        params: { user_id_type: 'open_id' },
      });
      const user = (body.data as { user?: { name?: unknown } } | undefined)?.user;
      return typeof user?.name === 'string' && user.name !== '' ? user.name : undefined;
    },
  });
  const inbound = createFeishuInbound({
    allowBots: options.allowBots,
    clock,
    botOpenId: () => self?.id,
    context: () => context,
    logger,
    userName: userNames,
  });

  const sendMessage = async (
    address: Address,
    msgType: string,
    content: unknown,
    extra: { replyTo?: string; uuid?: string } = {},
  ) => {
    const data = {
      msg_type: msgType,
      content: typeof content === 'string' ? content : JSON.stringify(content),
      ...(extra.uuid ? { uuid: createHash('sha256').update(extra.uuid).digest('hex').slice(0, 40) } : {}),
    };
    const target = address.threadId ?? extra.replyTo;
    const body =
      target !== undefined
        ? await api.call({
            method: 'POST',
            path: `/open-apis/im/v1/messages/${encodeURIComponent(target)}/reply`,
            data: { ...data, reply_in_thread: address.threadId !== undefined },
          })
        : await api.call({
            method: 'POST',
            path: '/open-apis/im/v1/messages',
            params: { receive_id_type: 'chat_id' },
            data: { ...data, receive_id: address.chatId },
          });
    const messageId = (body.data as { message_id?: unknown } | undefined)?.message_id;
    if (typeof messageId !== 'string') throw mapFeishuError(new Error('Feishu returned no message_id'));
    return { platformMessageId: messageId };
  };
  const cards = createCardMemory(async (messageId) => {
    const body = await api.call({ method: 'GET', path: `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}` });
    const [item] = ((body.data as { items?: Array<{ msg_type?: unknown }> } | undefined)?.items ?? []) as Array<{
      msg_type?: unknown;
    }>;
    return typeof item?.msg_type === 'string' ? item.msg_type : undefined;
  });
  const longConnection =
    options.mode === 'websocket'
      ? createFeishuLongConnection({
          appId: options.appId,
          appSecret: options.appSecret,
          baseUrl: feishuBaseUrl(options.domain),
          clock,
          watchdogMs: options.watchdogMs,
          handleEvent: (eventType, event) => inbound.handleEvent(eventType, event),
          logger,
          setStatus: (status) => context?.setStatus(status),
        })
      : undefined;
  const files = createFeishuFiles({ api, sendMessage: (address, msgType, content) => sendMessage(address, msgType, content) });

  const adapter: FeishuChannel = {
    specificationVersion: 1,
    name,
    limits: { maxMessageLength: options.maxMessageLength },
    supportsThreads: true,
    get self() {
      return self;
    },
    async start(next) {
      await adapter.stop();
      const body = await api.call({ method: 'GET', path: '/open-apis/bot/v3/info' });
      const bot = (body as { bot?: { open_id?: unknown; app_name?: unknown } }).bot;
      if (typeof bot?.open_id !== 'string' || bot.open_id === '') {
        throw mapFeishuError(new Error('the bot info has no open_id: enable the bot capability of the app'));
      }
      self = { id: bot.open_id, name: typeof bot.app_name === 'string' && bot.app_name !== '' ? bot.app_name : bot.open_id };
      context = next;
      if (!longConnection) {
        next.setStatus({ state: 'connected', detail: 'webhook: waiting for events at /channels/feishu/webhook' });
        return;
      }
      next.setStatus({ state: 'connecting' });
      try {
        await longConnection.start();
      } catch (error) {
        context = undefined;
        throw error;
      }
      next.setStatus({ state: 'connected', detail: 'long connection' });
    },
    async stop() {
      await longConnection?.stop();
      context = undefined;
    },
    send: (address, message): Promise<SendReceipt> =>
      sendWithPlainFallback(
        message.format,
        async (format) => {
          // The first message of a streamed reply is a card: it takes every edit the stream makes.
          const { msg_type, content } = message.streaming
            ? { msg_type: 'interactive', content: JSON.stringify(cardOf(message.text, format)) }
            : contentOf(message.text, format);
          const receipt = await sendMessage(address, msg_type, content, {
            ...(message.replyTo ? { replyTo: message.replyTo } : {}),
            ...(message.idempotencyKey ? { uuid: `${message.idempotencyKey}:${format}` } : {}),
          });
          if (message.streaming) cards.remember(receipt.platformMessageId);
          return receipt;
        },
        isFeishuMarkupRejected,
      ),
    async edit(_address, platformMessageId, text, format = 'plain') {
      const path = `/open-apis/im/v1/messages/${encodeURIComponent(platformMessageId)}`;
      const card = await cards.isCard(platformMessageId);
      await sendWithPlainFallback(
        format,
        (used) =>
          card
            ? api.call({ method: 'PATCH', path, data: { content: JSON.stringify(cardOf(text, used)) } })
            : api.call({ method: 'PUT', path, data: contentOf(text, used) }),
        isFeishuMarkupRejected,
      );
    },
    async delete(_address, platformMessageId) {
      try {
        await api.call({ method: 'DELETE', path: `/open-apis/im/v1/messages/${encodeURIComponent(platformMessageId)}` });
      } catch (error) {
        if (mapFeishuError(error).status !== 404) throw error;
      }
    },
    sendFile: (address, file) => files.sendFile(address, file),
    fetchAttachment: (attachment, fetchOptions) => files.fetchAttachment(attachment, fetchOptions),
  };
  if (verificationToken !== undefined && options.mode === 'webhook') {
    adapter.handleWebhook = createFeishuWebhookHandler({
      verificationToken,
      encryptKey: options.encryptKey,
      maxBodyBytes: options.maxWebhookBytes,
      running: () => context !== undefined,
      inbound,
      logger,
    });
  }
  return adapter;
}
