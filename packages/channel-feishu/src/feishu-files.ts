import type { Address, Attachment, FetchAttachmentOptions, OutboundFile, SendReceipt } from '@ngb/plugin-sdk';
import { ChannelApiError } from '@ngb/plugin-sdk';
import type { FeishuApi } from './feishu-api';

const channel = 'feishu';
const prefix = '[@ngb/channel-feishu]';
/** Feishu's upload limits: images up to 10 MB, files up to 30 MB. */
const maxImageBytes = 10 * 1024 * 1024;
const maxFileBytes = 30 * 1024 * 1024;
const imageTypes = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp']);

const tooLarge = (bytes: number, maxBytes: number) =>
  new ChannelApiError(channel, `${prefix} the file has ${bytes} bytes, more than the ${maxBytes} allowed`, { status: 413 });

/** Feishu's `file_type` of an upload, from the file's name and type. */
function fileType(file: OutboundFile): string {
  const extension = file.name.split('.').pop()?.toLowerCase() ?? '';
  if (['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt'].includes(extension)) return extension;
  if (extension === 'docx') return 'doc';
  if (extension === 'xlsx') return 'xls';
  if (extension === 'pptx') return 'ppt';
  return 'stream';
}

/** Files both ways: uploads (`im/v1/images`, `im/v1/files`) then a message; downloads of message resources. */
export function createFeishuFiles(options: {
  api: FeishuApi;
  /** Sends a message of `msgType` with `content` where `address` says (a reply in a thread when it has one). */
  sendMessage(address: Address, msgType: string, content: unknown): Promise<SendReceipt>;
}) {
  const { api } = options;
  return {
    /**
     * Uploads the file (an image as an image, anything else as a file) and sends it; a caption goes as a
     * text reply to it (Feishu file messages have no caption).
     */
    async sendFile(address: Address, file: OutboundFile): Promise<SendReceipt> {
      const image = imageTypes.has(file.mimeType ?? '');
      const limit = image ? maxImageBytes : maxFileBytes;
      if (file.data.length > limit) throw tooLarge(file.data.length, limit);
      if (file.data.length === 0) throw new ChannelApiError(channel, `${prefix} Feishu refuses an empty file`, { status: 400 });
      const data = Buffer.from(file.data);
      let receipt: SendReceipt;
      if (image) {
        const uploaded = await api.sdk((client) => client.im.image.create({ data: { image_type: 'message', image: data } }));
        const key = uploaded?.image_key;
        if (typeof key !== 'string')
          throw new ChannelApiError(channel, `${prefix} Feishu refused the image upload`, { status: 400 });
        receipt = await options.sendMessage(address, 'image', { image_key: key });
      } else {
        const uploaded = await api.sdk((client) =>
          client.im.file.create({ data: { file_type: fileType(file) as 'stream', file_name: file.name, file: data } }),
        );
        const key = uploaded?.file_key;
        if (typeof key !== 'string')
          throw new ChannelApiError(channel, `${prefix} Feishu refused the file upload`, { status: 400 });
        receipt = await options.sendMessage(address, 'file', { file_key: key });
      }
      if (file.caption) {
        await api.call({
          method: 'POST',
          path: `/open-apis/im/v1/messages/${encodeURIComponent(receipt.platformMessageId)}/reply`,
          data: { msg_type: 'text', content: JSON.stringify({ text: file.caption }) },
        });
      }
      return receipt;
    },

    /** Downloads an attachment's resource (`<message_id>/<image|file>/<key>`), refusing more than `maxBytes`. */
    async fetchAttachment(attachment: Attachment, fetchOptions: FetchAttachmentOptions): Promise<AsyncIterable<Uint8Array>> {
      const match = /^([^/]+)\/(image|file)\/([^/]+)$/.exec(attachment.reference);
      if (!match?.[1] || !match[2] || !match[3])
        throw new ChannelApiError(channel, `${prefix} not a Feishu attachment reference`, { status: 400 });
      const { maxBytes } = fetchOptions;
      if (attachment.size !== undefined && attachment.size > maxBytes) throw tooLarge(attachment.size, maxBytes);
      const [, messageId, type, fileKey] = match;
      const resource = await api.sdk((client) =>
        client.im.messageResource.get({ path: { message_id: messageId, file_key: fileKey }, params: { type } }),
      );
      const length = Number((resource.headers as Record<string, unknown> | undefined)?.['content-length'] ?? Number.NaN);
      const stream = resource.getReadableStream() as AsyncIterable<Uint8Array> & { destroy?(): void };
      if (Number.isFinite(length) && length > maxBytes) {
        stream.destroy?.();
        throw tooLarge(length, maxBytes);
      }
      return (async function* capped() {
        let total = 0;
        try {
          for await (const chunk of stream) {
            total += chunk.length;
            if (total > maxBytes) throw tooLarge(total, maxBytes);
            yield chunk;
          }
        } finally {
          stream.destroy?.();
        }
      })();
    },
  };
}
