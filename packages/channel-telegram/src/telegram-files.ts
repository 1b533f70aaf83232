import {
  type Address,
  type Attachment,
  ChannelApiError,
  type FetchAttachmentOptions,
  type OutboundFile,
  readWithinLimit,
  type SendReceipt,
} from '@ngb/plugin-sdk';
import { mapTelegramError } from './map-telegram-error';
import { type TelegramApi, threadParameter } from './telegram-api';

/** Longest caption Telegram takes with a file. */
const maxCaptionLength = 1024;
/** Largest photo `sendPhoto` takes; larger images go as documents. */
const maxPhotoBytes = 10 * 1024 * 1024;
const photoTypes = new Set(['image/jpeg', 'image/png', 'image/webp']);

const tooLarge = (what: string, maxBytes: number) =>
  new ChannelApiError('telegram', `[@ngb/channel-telegram] ${what} is larger than the ${maxBytes} bytes allowed`, {
    status: 413,
  });

/**
 * Opens an inbound file: `getFile` for its path and announced size (refused past `maxBytes` before any
 * download), then the download from `<apiRoot>/file/bot<token>/<file_path>`, counted as it is read.
 * @throws ChannelApiError 413 past `maxBytes`, 404 when Telegram no longer has it
 */
export async function fetchTelegramAttachment(
  api: TelegramApi,
  attachment: Attachment,
  options: FetchAttachmentOptions,
): Promise<AsyncIterable<Uint8Array>> {
  const { maxBytes, signal } = options;
  if (attachment.size !== undefined && attachment.size > maxBytes) throw tooLarge(`"${attachment.name ?? 'the file'}"`, maxBytes);
  let file: { file_path?: string; file_size?: number };
  try {
    file = await api.call('getFile', { file_id: attachment.reference }, signal);
  } catch (error) {
    // Bots may download files of at most 20 MB.
    if (ChannelApiError.isInstance(error) && /file is too big/i.test(error.message)) throw tooLarge('the file', maxBytes);
    throw error;
  }
  if (file.file_size !== undefined && file.file_size > maxBytes) throw tooLarge(`"${attachment.name ?? 'the file'}"`, maxBytes);
  if (file.file_path === undefined)
    throw new ChannelApiError('telegram', '[@ngb/channel-telegram] getFile gave no file_path', { status: 404 });
  let response: Response;
  try {
    response = await fetch(api.fileUrl(file.file_path), signal === undefined ? {} : { signal });
  } catch (error) {
    throw mapTelegramError(error, 'file download');
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw new ChannelApiError('telegram', `[@ngb/channel-telegram] file download: ${response.status}`, {
      status: response.status,
    });
  }
  const announced = Number(response.headers.get('content-length') ?? '0');
  if (announced > maxBytes) {
    await response.body.cancel().catch(() => undefined);
    throw tooLarge(`"${attachment.name ?? 'the file'}"`, maxBytes);
  }
  return readWithinLimit(response.body, maxBytes, () => tooLarge('the file', maxBytes));
}

/**
 * Sends a file: JPEG, PNG and WebP images up to 10 MB as a photo, anything else as a document
 * (multipart upload). A caption longer than Telegram takes is sent as a message just before it.
 */
export async function sendTelegramFile(api: TelegramApi, address: Address, file: OutboundFile): Promise<SendReceipt> {
  const thread = threadParameter(address.threadId);
  let caption = file.caption;
  if (caption !== undefined && caption.length > maxCaptionLength) {
    await api.call('sendMessage', { chat_id: address.chatId, text: caption, ...thread });
    caption = undefined;
  }
  const asPhoto = file.mimeType !== undefined && photoTypes.has(file.mimeType) && file.data.length <= maxPhotoBytes;
  const method = asPhoto ? 'sendPhoto' : 'sendDocument';
  const message = await api.call<{ message_id: number }>(method, {
    chat_id: address.chatId,
    [asPhoto ? 'photo' : 'document']: { source: Buffer.from(file.data), filename: file.name },
    ...(caption === undefined || caption === '' ? {} : { caption }),
    ...thread,
  });
  return { platformMessageId: String(message.message_id) };
}
