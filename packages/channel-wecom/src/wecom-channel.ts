import {
  type Address,
  type ChannelAdapter,
  type ChannelContext,
  ConfigError,
  type DeleteCapability,
  type FetchFilesCapability,
  type FilesCapability,
  parseOptions,
  silentLogger,
  systemClock,
  type WebhookCapability,
} from '@ngb/plugin-sdk';
import { fetchWeComAttachment } from './fetch-wecom-attachment';
import { mapWeComError } from './map-wecom-error';
import { createWeComApi, readWeComAnswer } from './wecom-api';
import { weComAesKey } from './wecom-crypto';
import { type WeComChannelOptions, weComChannelOptionsSchema } from './wecom-options';
import { createWeComOutbound } from './wecom-outbound';
import { createWeComUserNames } from './wecom-user-names';
import { createWeComWebhookHandler } from './wecom-webhook';

/**
 * The WeCom channel. App mode has files both ways, recall (delete) and the callback webhook; robot
 * mode only sends, text and files. Neither has typing or edits: WeCom offers applications neither.
 */
export type WeComChannel = ChannelAdapter &
  Partial<DeleteCapability & FilesCapability & FetchFilesCapability & WebhookCapability>;

const name = 'wecom';
const prefix = '[@ngb/channel-wecom]';

function required<T>(value: T | undefined, key: string, how: string): T {
  if (value === undefined) throw new ConfigError(`${prefix} app mode needs \`${key}\`: ${how}`, { key });
  return value;
}

/**
 * Creates the WeCom channel: a self-built application (`mode: 'app'`, the default) whose callbacks
 * reach the server's `/channels/wecom/webhook` and whose replies go through the application message
 * API, or a group robot's webhook (`mode: 'robot'`), which only sends, to the one chat `robotChatId`.
 * @throws ConfigError naming the option when the options are invalid or the mode lacks one it needs
 */
export function createWeComChannel(input: WeComChannelOptions): WeComChannel {
  const options = parseOptions(weComChannelOptionsSchema, input, prefix);
  const clock = options.clock ?? systemClock;
  let context: ChannelContext | undefined;
  const logger = () => context?.logger ?? options.logger ?? silentLogger;
  // WeCom counts UTF-8 bytes: the core splits by them, so English and CJK text both fill a message.
  const limits = { maxMessageLength: options.maxMessageLength, maxMessageBytes: options.maxMessageLength };

  if (options.mode === 'robot') {
    const key = options.webhookKey;
    if (key === undefined)
      throw new ConfigError(`${prefix} robot mode needs the webhook key: pass \`webhookKey\` or set WECOM_ROBOT_KEY`, {
        key: 'webhookKey',
      });
    const base = options.apiBaseUrl.endsWith('/') ? options.apiBaseUrl : `${options.apiBaseUrl}/`;
    const endpoint = new URL('cgi-bin/webhook/send', base);
    endpoint.searchParams.set('key', key);
    const uploadEndpoint = new URL('cgi-bin/webhook/upload_media', base);
    uploadEndpoint.searchParams.set('key', key);
    uploadEndpoint.searchParams.set('type', 'file');
    const outbound = createWeComOutbound({
      maxBytes: options.maxMessageLength,
      robot: {
        chatId: options.robotChatId,
        async post(body) {
          return readWeComAnswer(
            await fetch(endpoint, {
              method: 'POST',
              body: JSON.stringify(body),
              headers: { 'content-type': 'application/json; charset=utf-8' },
              signal: AbortSignal.timeout(options.requestTimeoutMs),
            }),
          );
        },
        async upload(file) {
          const form = new FormData();
          form.set(
            'media',
            new Blob([file.data as Uint8Array<ArrayBuffer>], { type: file.mimeType ?? 'application/octet-stream' }),
            file.name,
          );
          return readWeComAnswer(
            await fetch(uploadEndpoint, { method: 'POST', body: form, signal: AbortSignal.timeout(options.requestTimeoutMs) }),
          );
        },
      },
    });
    return {
      specificationVersion: 1,
      name,
      limits,
      async start(next) {
        context = next;
        // A robot key cannot be checked without posting to the group: the first send tells.
        next.setStatus({ state: 'connected', detail: `send-only group robot (chat "${options.robotChatId}")` });
      },
      async stop() {
        context = undefined;
      },
      send: (address: Address, message) => outbound.send(address, message),
      sendFile: (address: Address, file) => outbound.sendFile(address, file),
    };
  }

  const corpId = required(
    options.corpId,
    'corpId',
    'set channels.wecom.corpId (My Enterprise → Enterprise Information → CorpID)',
  );
  const agentId = Number(required(options.agentId, 'agentId', "set channels.wecom.agentId (the application's AgentId)"));
  const secret = required(options.secret, 'secret', "pass `secret` or set WECOM_SECRET (the application's Secret)");
  const token = required(options.token, 'token', 'pass `token` or set WECOM_TOKEN (the callback Token)');
  const encodingAesKey = required(
    options.encodingAesKey,
    'encodingAesKey',
    'pass `encodingAesKey` or set WECOM_ENCODING_AES_KEY (the callback EncodingAESKey)',
  );
  const api = createWeComApi({ baseUrl: options.apiBaseUrl, corpId, secret, clock, timeoutMs: options.requestTimeoutMs });
  const names = createWeComUserNames(api, clock);
  const outbound = createWeComOutbound({ maxBytes: options.maxMessageLength, app: { api, agentId } });
  let running = false;
  const handleWebhook = createWeComWebhookHandler({
    channel: name,
    token,
    aes: weComAesKey(encodingAesKey),
    corpId,
    clock,
    windowSeconds: options.callbackWindowSeconds,
    maxBodyBytes: options.maxCallbackBytes,
    running: () => running && context !== undefined,
    logger,
    async receive(message) {
      const target = context;
      if (!target) throw new Error(`${prefix} stopped`);
      const senderName = await names.nameOf(message.sender.id);
      await target.receive(senderName === undefined ? message : { ...message, sender: { ...message.sender, name: senderName } });
    },
  });

  return {
    specificationVersion: 1,
    name,
    limits,
    async start(next) {
      next.setStatus({ state: 'connecting' });
      try {
        await api.refreshToken();
      } catch (error) {
        const mapped = mapWeComError(error);
        next.setStatus(
          mapped.status === 401 || mapped.status === 403
            ? { state: 'failed', error: mapped.message }
            : { state: 'disconnected', error: mapped.message },
        );
        throw mapped;
      }
      context = next;
      running = true;
      // Callbacks need no connection to watch: there is no watchdog in this channel.
      next.setStatus({ state: 'connected', detail: 'callbacks at /channels/wecom/webhook' });
    },
    async stop() {
      running = false;
      context = undefined;
      api.clear();
      names.clear();
    },
    send: (address, message) => outbound.send(address, message),
    sendFile: (address, file) => outbound.sendFile(address, file),
    delete: (address, platformMessageId) => outbound.delete(address, platformMessageId),
    fetchAttachment: (attachment, fetchOptions) =>
      fetchWeComAttachment(api, attachment, fetchOptions, options.maxAttachmentBytes),
    handleWebhook,
  };
}
