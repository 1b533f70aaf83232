import {
  type Address,
  ChannelApiError,
  type Clock,
  errorMessage,
  type MessageFormat,
  type OutboundFile,
  type OutboundMessage,
  type SendReceipt,
} from '@ngb/plugin-sdk';
import { convertToDingTalkMarkdown, dingTalkTitle } from './convert-to-dingtalk-markdown';
import type { DingTalkApi } from './dingtalk-api';
import { postDingTalkJson } from './dingtalk-api';
import type { DingTalkOapi } from './dingtalk-oapi';
import { mapDingTalkError } from './map-dingtalk-error';

/** What an inbound message taught about its chat. */
export interface DingTalkChatRoute {
  isGroup: boolean;
  /** The message's reply URL and when DingTalk stops taking it (epoch ms). */
  sessionWebhook?: { url: string; expiresAt: number };
}

const maxChats = 1_000;
/** The largest file DingTalk's `/media/upload` takes (`type=file`): 20 MB. */
export const maxDingTalkFileBytes = 20 * 1024 * 1024;
// A session webhook is no longer used this close to its expiry: the reply may take a moment.
const webhookMarginMs = 60_000;
const prefix = '[@ngb/channel-dingtalk]';
// Receipts of session webhook replies: DingTalk returns no id for them, and they cannot be recalled.
const webhookReceipt = 'session-webhook:';

/** What the outbound side needs. */
export interface DingTalkOutboundSettings {
  api: DingTalkApi;
  /** The old OpenAPI, where files are uploaded. */
  oapi: DingTalkOapi;
  robotCode: string;
  sessionWebhookOrigins: readonly string[];
  fetch: typeof fetch;
  clock: Clock;
}

/**
 * Sends and recalls: through the last message's session webhook while it is valid (no token needed),
 * else through the robot send API (`groupMessages/send` for a group, `oToMessages/batchSend` for a 1:1
 * chat, whose id is the person's user id).
 */
export function createDingTalkOutbound(settings: DingTalkOutboundSettings) {
  const routes = new Map<string, DingTalkChatRoute>();
  let webhookSends = 0;

  /** Remembers how to answer a chat (bounded: the oldest chat is forgotten first). */
  function learn(chatId: string, route: DingTalkChatRoute): void {
    routes.delete(chatId);
    routes.set(chatId, route);
    if (routes.size > maxChats) routes.delete(routes.keys().next().value as string);
  }

  // Without an inbound message to go by, group conversation ids are the ones DingTalk starts with `cid`.
  const isGroup = (chatId: string) => routes.get(chatId)?.isGroup ?? chatId.startsWith('cid');

  function allowedWebhook(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ChannelApiError('dingtalk', `${prefix} the message's sessionWebhook is not a URL`, {
        status: 400,
        retryable: false,
      });
    }
    if (!settings.sessionWebhookOrigins.includes(url.origin)) {
      throw new ChannelApiError(
        'dingtalk',
        `${prefix} refusing to post to the session webhook at ${url.origin}: not an allowed origin (option \`sessionWebhookOrigins\`)`,
        { status: 400, retryable: false },
      );
    }
    return url;
  }

  async function viaWebhook(
    chatId: string,
    webhook: { url: string },
    text: string,
    format: MessageFormat,
  ): Promise<SendReceipt | undefined> {
    const url = allowedWebhook(webhook.url);
    const body =
      format === 'markdown'
        ? { msgtype: 'markdown', markdown: { title: dingTalkTitle(text), text: convertToDingTalkMarkdown(text) } }
        : { msgtype: 'text', text: { content: text } };
    const answer = await postDingTalkJson(settings.fetch, url.href, body, 'the session webhook');
    const errcode = Number(answer.errcode ?? 0);
    if (errcode === 0) {
      webhookSends += 1;
      return { platformMessageId: `${webhookReceipt}${settings.clock.now()}-${webhookSends}` };
    }
    const mapped = mapDingTalkError({ call: 'the session webhook', status: 200, body: answer });
    if (mapped.retryable) throw mapped;
    // Expired or otherwise refused: the send API still reaches the chat.
    const route = routes.get(chatId);
    if (route) learn(chatId, { isGroup: route.isGroup });
    return undefined;
  }

  async function viaApi(chatId: string, text: string, format: MessageFormat): Promise<SendReceipt> {
    const msgKey = format === 'markdown' ? 'sampleMarkdown' : 'sampleText';
    const msgParam = JSON.stringify(
      format === 'markdown' ? { title: dingTalkTitle(text), text: convertToDingTalkMarkdown(text) } : { content: text },
    );
    return robotSend(chatId, msgKey, msgParam);
  }

  /** One robot message through the send API (`msgParam` is a JSON string, as DingTalk wants it). */
  async function robotSend(chatId: string, msgKey: string, msgParam: string): Promise<SendReceipt> {
    const answer = isGroup(chatId)
      ? await settings.api.call(
          '/v1.0/robot/groupMessages/send',
          { robotCode: settings.robotCode, openConversationId: chatId, msgKey, msgParam },
          'the robot group send API',
        )
      : await settings.api.call(
          '/v1.0/robot/oToMessages/batchSend',
          { robotCode: settings.robotCode, userIds: [chatId], msgKey, msgParam },
          'the robot 1:1 send API',
        );
    const key = answer.processQueryKey;
    if (typeof key !== 'string' || key === '')
      throw new ChannelApiError('dingtalk', `${prefix} the robot send API answered without a processQueryKey`, {
        retryable: false,
      });
    return { platformMessageId: key };
  }

  async function send(address: Address, message: OutboundMessage): Promise<SendReceipt> {
    const chatId = address.chatId;
    const format = message.format;
    const webhook = routes.get(chatId)?.sessionWebhook;
    if (webhook && settings.clock.now() < webhook.expiresAt - webhookMarginMs) {
      const receipt = await viaWebhook(chatId, webhook, message.text, format);
      if (receipt) return receipt;
    }
    return viaApi(chatId, message.text, format);
  }

  return {
    learn,
    send,
    /**
     * Uploads the file to the old OpenAPI and sends it as a `sampleFile` robot message (session
     * webhooks carry no files); a caption follows as a text message, since a file message has none.
     * @throws ChannelApiError 413 before any upload for a file past 20 MB, 400 for an empty one
     */
    async sendFile(address: Address, file: OutboundFile): Promise<SendReceipt> {
      if (file.data.length > maxDingTalkFileBytes)
        throw new ChannelApiError(
          'dingtalk',
          `${prefix} "${file.name}" is ${file.data.length} bytes: DingTalk takes files of at most ${maxDingTalkFileBytes} bytes (20 MB)`,
          { status: 413, retryable: false },
        );
      if (file.data.length === 0)
        throw new ChannelApiError('dingtalk', `${prefix} "${file.name}" is empty: DingTalk takes no empty file`, {
          status: 400,
          retryable: false,
        });
      const mediaId = await settings.oapi.upload(file, 'file');
      const receipt = await robotSend(
        address.chatId,
        'sampleFile',
        JSON.stringify({ mediaId, fileName: file.name, fileType: dingTalkFileType(file.name) }),
      );
      if (file.caption === undefined || file.caption === '') return receipt;
      try {
        await send(address, { text: file.caption, format: 'plain' });
      } catch (error) {
        // Said plainly, so whoever retries knows the file itself is already in the chat.
        const mapped = mapDingTalkError(error);
        throw new ChannelApiError(
          'dingtalk',
          `${prefix} the file was sent (${receipt.platformMessageId}) but its caption was not: ${errorMessage(mapped)}`,
          { ...(mapped.status === undefined ? {} : { status: mapped.status }), retryable: false, cause: mapped },
        );
      }
      return receipt;
    },
    async delete(address: Address, platformMessageId: string): Promise<void> {
      if (platformMessageId.startsWith(webhookReceipt)) {
        throw new ChannelApiError('dingtalk', `${prefix} a reply sent through a session webhook cannot be recalled`, {
          status: 400,
          retryable: false,
        });
      }
      if (isGroup(address.chatId)) {
        await settings.api.call(
          '/v1.0/robot/groupMessages/recall',
          { robotCode: settings.robotCode, openConversationId: address.chatId, processQueryKeys: [platformMessageId] },
          'the robot group recall API',
        );
      } else {
        await settings.api.call(
          '/v1.0/robot/otoMessages/batchRecall',
          { robotCode: settings.robotCode, processQueryKeys: [platformMessageId] },
          'the robot 1:1 recall API',
        );
      }
    },
  };
}

/** DingTalk's `fileType`: the name's extension without the dot, lower case; `file` for a name without one. */
export function dingTalkFileType(name: string): string {
  const match = /\.([A-Za-z0-9]{1,16})$/.exec(name);
  return match?.[1] ? match[1].toLowerCase() : 'file';
}
