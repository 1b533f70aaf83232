import {
  type Address,
  type ButtonsCapability,
  type ChannelAdapter,
  type ChannelApiError,
  type ChannelContext,
  type ChannelIdentity,
  type Clock,
  type DeleteCapability,
  type EditCapability,
  type FetchFilesCapability,
  type FilesCapability,
  type MessageFormat,
  NotFoundError,
  parseOptions,
  sendWithPlainFallback,
  silentLogger,
  systemClock,
  type ThreadsCapability,
  type TypingCapability,
  type WebhookCapability,
} from '@ngb/plugin-sdk';
import { convertToTelegramMarkup } from './convert-to-telegram-markup';
import { isTelegramMarkupRejection } from './map-telegram-error';
import { normalizeTelegramUpdate } from './normalize-telegram-update';
import { createTelegramApi, threadParameter } from './telegram-api';
import { fetchTelegramAttachment, sendTelegramFile } from './telegram-files';
import { type TelegramChannelOptions, telegramChannelOptionsSchema } from './telegram-options';
import { createTelegramPoller } from './telegram-polling';
import { telegramAllowedUpdates } from './telegram-update-schema';
import { handleTelegramWebhook } from './telegram-webhook';

/** The Telegram channel: every capability but reactions; `handleWebhook` only in webhook mode. */
export interface TelegramChannel
  extends ChannelAdapter,
    ButtonsCapability,
    TypingCapability,
    EditCapability,
    DeleteCapability,
    FilesCapability,
    FetchFilesCapability,
    ThreadsCapability,
    Partial<WebhookCapability> {}

/** What the channel takes besides its options. */
export interface TelegramChannelDependencies {
  /** Time for the poll watchdog and the waits after failures. @default the system clock */
  clock?: Clock;
}

function textPayload(text: string, format: MessageFormat): Record<string, unknown> {
  if (format === 'plain') return { text };
  const markup = convertToTelegramMarkup(text);
  return markup.trim() === '' ? { text } : { text: markup, parse_mode: 'MarkdownV2' };
}

/**
 * Creates the Telegram channel (telegraf's Bot API client): long polling by default, or webhook mode,
 * where the server hands Telegram's requests to `handleWebhook` and `start` calls `setWebhook`.
 * @throws ConfigError naming the option when the options are invalid
 */
export function createTelegramChannel(
  input: TelegramChannelOptions,
  dependencies: TelegramChannelDependencies = {},
): TelegramChannel {
  const options = parseOptions(telegramChannelOptionsSchema, input, '[@ngb/channel-telegram]');
  const name = 'telegram';
  const clock = dependencies.clock ?? systemClock;
  let context: ChannelContext | undefined;
  let self: (ChannelIdentity & { userId: number; username?: string }) | undefined;
  let failed = false;

  const api = createTelegramApi({
    token: options.botToken,
    apiRoot: options.apiRoot,
    onUnauthorized(error: ChannelApiError) {
      if (!context || failed) return;
      failed = true;
      context.setStatus({ state: 'failed', error: `token rejected (401): ${error.message}` });
      void poller.stop();
    },
  });

  async function deliver(update: { update_id: number }): Promise<void> {
    const current = context;
    if (!current || !self) return;
    const inbound = normalizeTelegramUpdate(update, {
      channel: name,
      self: { id: self.userId, ...(self.username === undefined ? {} : { username: self.username }) },
      allowBots: options.allowBots,
      receivedAt: clock.now(),
    });
    if (!inbound) return;
    if (inbound.kind !== 'choice') {
      await current.receive(inbound);
      return;
    }
    // Telegram shows a spinner on the button until the press is answered: answer it whatever the core made of it.
    const queryId = inbound.platformMessageId.slice('callback:'.length);
    try {
      await current.receive(inbound);
    } finally {
      await api
        .call('answerCallbackQuery', { callback_query_id: queryId })
        .catch((error: unknown) => current.logger.warn('answerCallbackQuery failed', { error }));
    }
  }

  const poller = createTelegramPoller({
    clock,
    watchdogMs: options.pollTimeoutSeconds * 1000 + options.watchdogMarginMs,
    getUpdates: (offset, signal) =>
      api.call('getUpdates', { offset, timeout: options.pollTimeoutSeconds, allowed_updates: telegramAllowedUpdates }, signal),
    handle: deliver,
    setStatus: (status) => context?.setStatus(status),
    logger: () => context?.logger ?? silentLogger,
  });

  const sendText = (address: Address, text: string, format: MessageFormat, extra: Record<string, unknown>) =>
    sendWithPlainFallback(
      format,
      (attempt) =>
        api.call<{ message_id: number }>('sendMessage', {
          chat_id: address.chatId,
          ...threadParameter(address.threadId),
          ...extra,
          ...textPayload(text, attempt),
        }),
      isTelegramMarkupRejection,
    );

  const channel: TelegramChannel = {
    specificationVersion: 1,
    name,
    limits: { maxMessageLength: options.maxMessageLength },
    supportsThreads: true,
    supportsButtons: true,
    get self() {
      return self === undefined ? undefined : { id: self.id, name: self.name };
    },
    async start(startContext) {
      await poller.stop();
      failed = false;
      startContext.setStatus({ state: 'connecting' });
      const me = await api.call<{ id: number; first_name: string; username?: string }>('getMe', {});
      self = {
        id: String(me.id),
        name: me.username ?? me.first_name,
        userId: me.id,
        ...(me.username ? { username: me.username } : {}),
      };
      if (options.mode === 'webhook') {
        await api.call('setWebhook', {
          url: options.webhookUrl,
          secret_token: options.webhookSecret,
          allowed_updates: telegramAllowedUpdates,
        });
        context = startContext;
        startContext.setStatus({ state: 'connected', detail: 'webhook' });
        return;
      }
      // getUpdates answers 409 while a webhook is set (from an earlier run in webhook mode).
      await api.call('deleteWebhook', { drop_pending_updates: false });
      context = startContext;
      startContext.setStatus({ state: 'connected', detail: 'long polling' });
      poller.start();
    },
    async stop() {
      const stopped = context;
      context = undefined;
      await poller.stop();
      stopped?.setStatus({ state: 'disconnected' });
    },
    async send(address, message) {
      const reply =
        message.replyTo === undefined
          ? {}
          : { reply_parameters: { message_id: Number(message.replyTo), allow_sending_without_reply: true } };
      // One button a row: option labels are whole sentences often, too long side by side.
      const keyboard =
        message.choices === undefined || message.choices.length === 0
          ? {}
          : {
              reply_markup: {
                inline_keyboard: message.choices.map((choice) => [{ text: choice.label, callback_data: choice.id }]),
              },
            };
      const sent = await sendText(address, message.text, message.format, { ...reply, ...keyboard });
      return { platformMessageId: String(sent.message_id) };
    },
    async edit(address, platformMessageId, text, format = 'plain') {
      try {
        await sendWithPlainFallback(
          format,
          (attempt) =>
            api.call('editMessageText', {
              chat_id: address.chatId,
              message_id: Number(platformMessageId),
              ...textPayload(text, attempt),
            }),
          isTelegramMarkupRejection,
        );
      } catch (error) {
        const message = (error as Error).message;
        // A streamed reply may be edited to the text it already has.
        if (/message is not modified/i.test(message)) return;
        if (/message to edit not found/i.test(message)) throw new NotFoundError('message', platformMessageId, { cause: error });
        throw error;
      }
    },
    async delete(address, platformMessageId) {
      try {
        await api.call('deleteMessage', { chat_id: address.chatId, message_id: Number(platformMessageId) });
      } catch (error) {
        if (/message to delete not found/i.test((error as Error).message)) return;
        throw error;
      }
    },
    async sendTyping(address) {
      await api.call('sendChatAction', { chat_id: address.chatId, action: 'typing', ...threadParameter(address.threadId) });
    },
    sendFile: (address, file) => sendTelegramFile(api, address, file),
    fetchAttachment: (attachment, fetchOptions) => fetchTelegramAttachment(api, attachment, fetchOptions),
  };
  if (options.mode === 'webhook') {
    const secret = options.webhookSecret ?? '';
    channel.handleWebhook = (request) =>
      handleTelegramWebhook(request, {
        secret,
        running: () => context !== undefined,
        deliver: (update) => deliver(update as { update_id: number }),
        logger: () => context?.logger ?? silentLogger,
      });
  }
  return channel;
}
