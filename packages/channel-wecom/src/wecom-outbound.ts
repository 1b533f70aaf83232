import { randomUUID } from 'node:crypto';
import {
  type Address,
  ChannelApiError,
  type MessageFormat,
  NotSupportedError,
  type OutboundFile,
  type OutboundMessage,
  type SendReceipt,
  sendWithPlainFallback,
} from '@ngb/plugin-sdk';
import { convertToWeComMarkdown } from './convert-to-wecom-markdown';
import { mapWeComError, WeComErrcode } from './map-wecom-error';
import { groupChatPrefix } from './normalize-wecom-message';
import type { WeComApi } from './wecom-api';

const channel = 'wecom';
const prefix = '[@ngb/channel-wecom]';

/** Where messages go: the application API or the group robot's webhook. */
export interface WeComOutboundTarget {
  /** App mode: the application API and its AgentId. */
  app?: { api: WeComApi; agentId: number };
  /** Robot mode: posts one JSON body to the robot's webhook. */
  robot?: { post(body: unknown): Promise<Record<string, unknown>>; chatId: string };
  /** The most bytes of text or markdown content one message may hold. */
  maxBytes: number;
}

/** A converted markdown text longer than WeCom takes: the same text goes again as plain text. */
class MarkdownTooLong extends Error {}

/** True when the markdown of a message was refused (too long once converted), so it is resent as plain text. */
function isWeComMarkupRejected(error: unknown): boolean {
  if (error instanceof MarkdownTooLong) return true;
  const cause = ChannelApiError.isInstance(error) ? error.cause : error;
  return cause instanceof WeComErrcode && cause.errcode === 45002;
}

/** Sends, files and recalls, for both modes. */
export function createWeComOutbound(target: WeComOutboundTarget) {
  const content = (text: string, format: MessageFormat) => {
    const converted = format === 'markdown' ? convertToWeComMarkdown(text) : text;
    if (Buffer.byteLength(converted, 'utf8') > target.maxBytes) {
      if (format === 'markdown') throw new MarkdownTooLong();
      throw new ChannelApiError(channel, `${prefix} message longer than ${target.maxBytes} bytes`, { status: 413 });
    }
    return converted;
  };

  const robotSend = async (address: Address, body: Record<string, unknown>): Promise<SendReceipt> => {
    const robot = target.robot;
    if (!robot) throw new NotSupportedError(`${prefix} robot mode is not configured`);
    if (address.chatId !== robot.chatId)
      throw new ChannelApiError(channel, `${prefix} robot mode sends only to chat "${robot.chatId}", not "${address.chatId}"`, {
        status: 404,
      });
    await robot.post(body);
    // The robot webhook returns no message id.
    return { platformMessageId: `robot-${randomUUID()}` };
  };

  const appSend = async (address: Address, body: Record<string, unknown>): Promise<SendReceipt> => {
    const app = target.app;
    if (!app) return robotSend(address, body);
    if (address.chatId.startsWith(groupChatPrefix)) {
      await app.api.call('cgi-bin/appchat/send', {}, { json: { chatid: address.chatId.slice(groupChatPrefix.length), ...body } });
      // appchat/send returns no message id either: such messages cannot be recalled.
      return { platformMessageId: `appchat-${randomUUID()}` };
    }
    const answer = await app.api.call(
      'cgi-bin/message/send',
      {},
      { json: { touser: address.chatId, agentid: app.agentId, ...body } },
    );
    if (typeof answer.invaliduser === 'string' && answer.invaliduser !== '')
      throw new ChannelApiError(
        channel,
        `${prefix} WeCom does not know user "${answer.invaliduser}" or the app may not reach it`,
        {
          status: 404,
        },
      );
    const msgid = typeof answer.msgid === 'string' ? answer.msgid : '';
    return { platformMessageId: msgid === '' ? `unknown-${randomUUID()}` : msgid };
  };

  const sendText = (address: Address, text: string, format: MessageFormat) =>
    sendWithPlainFallback(
      format,
      async (as) => {
        const body =
          as === 'markdown'
            ? { msgtype: 'markdown', markdown: { content: content(text, as) } }
            : { msgtype: 'text', text: { content: content(text, as) } };
        try {
          return await appSend(address, body);
        } catch (error) {
          if (error instanceof MarkdownTooLong) throw error;
          throw mapWeComError(error);
        }
      },
      isWeComMarkupRejected,
    );

  return {
    async send(address: Address, message: OutboundMessage): Promise<SendReceipt> {
      try {
        return await sendText(address, message.text, message.format);
      } catch (error) {
        throw mapWeComError(error);
      }
    },
    async sendFile(address: Address, file: OutboundFile): Promise<SendReceipt> {
      const app = target.app;
      if (!app) throw new NotSupportedError(`${prefix} the group robot sends no files here: use app mode`);
      const type = file.mimeType?.startsWith('image/') ? 'image' : 'file';
      const form = new FormData();
      form.set(
        'media',
        new Blob([file.data as Uint8Array<ArrayBuffer>], { type: file.mimeType ?? 'application/octet-stream' }),
        file.name,
      );
      try {
        const uploaded = await app.api.call('cgi-bin/media/upload', { type }, { form });
        const mediaId = typeof uploaded.media_id === 'string' ? uploaded.media_id : '';
        const receipt = await appSend(address, { msgtype: type, [type]: { media_id: mediaId } });
        // A file message has no caption in WeCom: the caption follows as a text message.
        if (file.caption !== undefined && file.caption !== '') await sendText(address, file.caption, 'plain');
        return receipt;
      } catch (error) {
        throw mapWeComError(error);
      }
    },
    async delete(_address: Address, platformMessageId: string): Promise<void> {
      const app = target.app;
      if (!app || platformMessageId === '' || /^(robot|appchat|unknown)-/.test(platformMessageId))
        throw new NotSupportedError(`${prefix} only application messages sent to a person can be recalled`);
      try {
        await app.api.call('cgi-bin/message/recall', {}, { json: { msgid: platformMessageId } });
      } catch (error) {
        throw mapWeComError(error);
      }
    },
  };
}
