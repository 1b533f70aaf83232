import { createHash, randomUUID } from 'node:crypto';
import {
  type Address,
  ChannelApiError,
  errorMessage,
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
  /** Robot mode: posts one JSON body to the robot's webhook, and uploads a file for it (`upload_media`). */
  robot?: {
    post(body: unknown): Promise<Record<string, unknown>>;
    upload(file: OutboundFile): Promise<Record<string, unknown>>;
    chatId: string;
  };
  /** The most bytes of text or markdown content one message may hold. */
  maxBytes: number;
}

/** The sizes WeCom takes for a file (uploads of both modes): 5 bytes to 20 MB. */
export const weComFileBytes = { min: 5, max: 20 * 1024 * 1024 } as const;
/** The largest image the robot takes inline (base64 with its md5): 2 MB, JPG or PNG. */
export const weComRobotImageBytes = 2 * 1024 * 1024;

/** True for the bytes of a PNG or a JPEG (by their signature, not by what the name or type claims). */
function isPngOrJpeg(data: Uint8Array): boolean {
  const png = data[0] === 0x89 && data[1] === 0x50 && data[2] === 0x4e && data[3] === 0x47;
  const jpeg = data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff;
  return png || jpeg;
}

/** Refuses, before any upload, a file WeCom would refuse for its size. */
function checkFileSize(file: OutboundFile): void {
  const size = file.data.length;
  if (size > weComFileBytes.max)
    throw new ChannelApiError(
      channel,
      `${prefix} "${file.name}" is ${size} bytes: WeCom takes files of at most ${weComFileBytes.max} bytes (20 MB)`,
      { status: 413, retryable: false },
    );
  if (size < weComFileBytes.min)
    throw new ChannelApiError(
      channel,
      `${prefix} "${file.name}" is ${size} bytes: WeCom takes files of at least ${weComFileBytes.min} bytes`,
      { status: 400, retryable: false },
    );
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

  const sendFileMessage = async (address: Address, file: OutboundFile): Promise<SendReceipt> => {
    const app = target.app;
    if (app) {
      const type = file.mimeType?.startsWith('image/') ? 'image' : 'file';
      const form = new FormData();
      form.set(
        'media',
        new Blob([file.data as Uint8Array<ArrayBuffer>], { type: file.mimeType ?? 'application/octet-stream' }),
        file.name,
      );
      const uploaded = await app.api.call('cgi-bin/media/upload', { type }, { form });
      const mediaId = typeof uploaded.media_id === 'string' ? uploaded.media_id : '';
      return appSend(address, { msgtype: type, [type]: { media_id: mediaId } });
    }
    const robot = target.robot;
    if (!robot) throw new NotSupportedError(`${prefix} robot mode is not configured`);
    if (file.data.length <= weComRobotImageBytes && isPngOrJpeg(file.data)) {
      const data = Buffer.from(file.data);
      const image = { base64: data.toString('base64'), md5: createHash('md5').update(data).digest('hex') };
      return robotSend(address, { msgtype: 'image', image });
    }
    const uploaded = await robot.upload(file);
    const mediaId = typeof uploaded.media_id === 'string' ? uploaded.media_id : '';
    if (mediaId === '')
      throw new ChannelApiError(channel, `${prefix} the robot upload answered without a media_id`, { status: 502 });
    return robotSend(address, { msgtype: 'file', file: { media_id: mediaId } });
  };

  return {
    async send(address: Address, message: OutboundMessage): Promise<SendReceipt> {
      try {
        return await sendText(address, message.text, message.format);
      } catch (error) {
        throw mapWeComError(error);
      }
    },
    /**
     * App mode: uploads to `media/upload` and sends a file or image message. Robot mode: a JPG or PNG
     * of at most 2 MB goes inline as an image message (base64 and md5), anything else is uploaded to
     * `webhook/upload_media` and sent as a file message. A caption follows as a text message (WeCom
     * file messages have none).
     * @throws ChannelApiError 413 before any upload past 20 MB, 400 under 5 bytes
     */
    async sendFile(address: Address, file: OutboundFile): Promise<SendReceipt> {
      const robot = target.robot;
      if (!target.app && robot && address.chatId !== robot.chatId)
        throw new ChannelApiError(channel, `${prefix} robot mode sends only to chat "${robot.chatId}", not "${address.chatId}"`, {
          status: 404,
        });
      checkFileSize(file);
      let receipt: SendReceipt;
      try {
        receipt = await sendFileMessage(address, file);
      } catch (error) {
        throw mapWeComError(error);
      }
      if (file.caption === undefined || file.caption === '') return receipt;
      try {
        await sendText(address, file.caption, 'plain');
      } catch (error) {
        // Said plainly, so whoever retries knows the file itself is already in the chat.
        const mapped = mapWeComError(error);
        throw new ChannelApiError(
          channel,
          `${prefix} the file was sent (${receipt.platformMessageId}) but its caption was not: ${errorMessage(mapped)}`,
          { ...(mapped.status === undefined ? {} : { status: mapped.status }), retryable: false, cause: mapped },
        );
      }
      return receipt;
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
