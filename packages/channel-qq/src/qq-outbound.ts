import {
  type Address,
  ChannelApiError,
  type DeleteCapability,
  type FilesCapability,
  type OutboundFile,
  type OutboundMessage,
  type SendReceipt,
} from '@ngb/plugin-sdk';
import { convertToQQText } from './convert-to-qq-text';
import type { OneBotSegment } from './onebot-segments';

const prefix = '[@ngb/channel-qq]';

/** Runs one OneBot action on the open connection. */
export type QQCall = (action: string, params: Record<string, unknown>) => Promise<unknown>;

/** Where an address points: a friend (private) or a group, by number. */
function qqTarget(address: Address): { kind: 'private' | 'group'; id: number } {
  const match = /^(private|group):(\d{1,20})$/.exec(address.chatId);
  const id = Number(match?.[2]);
  if (!match || !Number.isSafeInteger(id))
    throw new ChannelApiError(
      'qq',
      `${prefix} "${address.chatId}" is no QQ chat id: use private:<QQ number> or group:<group number>`,
      {
        status: 400,
        retryable: false,
      },
    );
  return { kind: match[1] as 'private' | 'group', id };
}

function messageIdOf(data: unknown, action: string): string {
  const id = typeof data === 'object' && data !== null ? (data as { message_id?: unknown }).message_id : undefined;
  if (typeof id === 'number' || (typeof id === 'string' && id !== '')) return String(id);
  throw new ChannelApiError('qq', `${prefix} ${action} answered without a message_id`, { status: 502, retryable: false });
}

const imageTypes = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp']);

/**
 * What the QQ channel sends: text as `send_private_msg` / `send_group_msg` with segment arrays (a `reply`
 * segment first for `replyTo`), deletions as `delete_msg`, images as an `image` segment with `base64://`,
 * other files with NapCat's `upload_private_file` / `upload_group_file` (its `file` also takes `base64://`).
 * @param remember called with the id of every message the bot sent, so replies to it count as mentions
 */
export function createQQOutbound(call: QQCall, remember: (messageId: string) => void) {
  async function post(address: Address, message: OneBotSegment[]): Promise<SendReceipt> {
    const target = qqTarget(address);
    const action = target.kind === 'private' ? 'send_private_msg' : 'send_group_msg';
    const data = await call(action, {
      [target.kind === 'private' ? 'user_id' : 'group_id']: target.id,
      message,
    });
    const platformMessageId = messageIdOf(data, action);
    remember(platformMessageId);
    return { platformMessageId };
  }

  const replySegment = (replyTo: string | undefined): OneBotSegment[] =>
    replyTo !== undefined && /^-?\d+$/.test(replyTo) ? [{ type: 'reply', data: { id: replyTo } }] : [];

  async function sendFile(address: Address, file: OutboundFile): Promise<SendReceipt> {
    const target = qqTarget(address);
    const base64 = `base64://${Buffer.from(file.data).toString('base64')}`;
    if (file.mimeType !== undefined && imageTypes.has(file.mimeType)) {
      const caption = file.caption === undefined ? [] : [{ type: 'text', data: { text: file.caption } }];
      return post(address, [{ type: 'image', data: { file: base64, name: file.name } }, ...caption]);
    }
    // A file upload is no message on QQ: the caption goes first as its own message, and the receipt
    // names the uploaded file (it cannot be deleted with delete_msg).
    if (file.caption !== undefined) await post(address, [{ type: 'text', data: { text: file.caption } }]);
    const action = target.kind === 'private' ? 'upload_private_file' : 'upload_group_file';
    const data = await call(action, {
      [target.kind === 'private' ? 'user_id' : 'group_id']: target.id,
      file: base64,
      name: file.name,
    });
    const fileId = typeof data === 'object' && data !== null ? (data as { file_id?: unknown }).file_id : undefined;
    return { platformMessageId: typeof fileId === 'string' && fileId !== '' ? `file:${fileId}` : `file:${file.name}` };
  }

  const capabilities: DeleteCapability &
    FilesCapability & { send(address: Address, message: OutboundMessage): Promise<SendReceipt> } = {
    async send(address, message) {
      const converted = message.format === 'markdown' ? convertToQQText(message.text) : message.text;
      // QQ refuses an empty message; markdown that is only markup is better shown as written.
      const text = converted.trim() === '' ? message.text : converted;
      return post(address, [...replySegment(message.replyTo), { type: 'text', data: { text } }]);
    },
    async delete(address, platformMessageId) {
      qqTarget(address);
      if (platformMessageId.startsWith('file:'))
        throw new ChannelApiError('qq', `${prefix} an uploaded file cannot be deleted through OneBot`, {
          status: 400,
          retryable: false,
        });
      try {
        await call('delete_msg', { message_id: Number(platformMessageId) });
      } catch (error) {
        // Already gone resolves, as the contract asks.
        if (ChannelApiError.isInstance(error) && error.status === 404) return;
        throw error;
      }
    },
    sendFile,
  };
  return capabilities;
}
