import type { Attachment } from '../contracts/channel';
import type { FetchAttachmentOptions } from '../contracts/channel-capabilities';
import { ChannelApiError } from '../errors';

/** A file a person attaches to a message posted to the recording channel. */
export interface RecordingInboundFile {
  /** File name as uploaded. */
  name: string;
  /** MIME type as uploaded. */
  mimeType: string;
  /** The content. */
  data: Uint8Array;
  /**
   * The size the fake platform announces for it, when that should differ from the real one (a
   * platform that lies, for testing that a download is counted rather than trusted). @default its length
   */
  announcedSize?: number;
}

/** A file as it travels in a webhook body: the content in base64. */
export interface RecordingWebhookFile {
  name: string;
  mimeType: string;
  base64: string;
  announcedSize?: number;
}

/** The broad kind of a file by its MIME type, as platforms tell photos, voice notes and videos apart. */
function attachmentKind(mimeType: string): Attachment['kind'] {
  if (mimeType.startsWith('image/')) return 'image';
  if (mimeType.startsWith('audio/')) return 'audio';
  if (mimeType.startsWith('video/')) return 'video';
  return 'file';
}

/** Encodes files for a webhook body. */
export function toWebhookFiles(files: readonly RecordingInboundFile[]): RecordingWebhookFile[] {
  return files.map(({ name, mimeType, data, announcedSize }) => ({
    name,
    mimeType,
    base64: Buffer.from(data).toString('base64'),
    ...(announcedSize !== undefined && { announcedSize }),
  }));
}

/** Decodes the files of a webhook body; undefined when they are not files. */
export function fromWebhookFiles(value: unknown): RecordingInboundFile[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const files: RecordingInboundFile[] = [];
  for (const item of value as unknown[]) {
    const file = item as Partial<RecordingWebhookFile> | null;
    if (typeof file?.name !== 'string' || typeof file.mimeType !== 'string' || typeof file.base64 !== 'string') return undefined;
    files.push({
      name: file.name,
      mimeType: file.mimeType,
      data: new Uint8Array(Buffer.from(file.base64, 'base64')),
      ...(typeof file.announcedSize === 'number' && { announcedSize: file.announcedSize }),
    });
  }
  return files;
}

/** The files the fake platform holds: uploaded with inbound messages, downloaded by reference. */
export interface RecordingFileStore {
  /** Keeps the files and returns the attachments that name them. */
  upload(files: readonly RecordingInboundFile[]): Attachment[];
  /** The download of an attachment, as `fetchAttachment` answers it. */
  fetch(attachment: Attachment, options: FetchAttachmentOptions): Promise<AsyncIterable<Uint8Array>>;
}

/** The chunk size of downloads: small, so that a download is read in several pieces. */
const chunkBytes = 64 * 1024;

/** Creates the file store of one recording channel. */
export function createRecordingFileStore(channel: string): RecordingFileStore {
  const files = new Map<string, RecordingInboundFile>();
  let counter = 0;
  return {
    upload(uploaded) {
      return uploaded.map((file) => {
        counter += 1;
        const reference = `file-${counter}`;
        files.set(reference, file);
        return {
          kind: attachmentKind(file.mimeType),
          name: file.name,
          mimeType: file.mimeType,
          size: file.announcedSize ?? file.data.length,
          reference,
        };
      });
    },
    async fetch(attachment, options) {
      const file = files.get(attachment.reference);
      if (!file) throw new ChannelApiError(channel, `[fake] no file ${attachment.reference}`, { status: 404 });
      const announced = file.announcedSize ?? file.data.length;
      if (announced > options.maxBytes) {
        throw new ChannelApiError(channel, `[fake] file of ${announced} bytes is larger than the ${options.maxBytes} asked for`, {
          status: 413,
        });
      }
      options.signal?.throwIfAborted();
      const data = file.data;
      return (async function* () {
        for (let offset = 0; offset < data.length; offset += chunkBytes) {
          options.signal?.throwIfAborted();
          yield data.slice(offset, offset + chunkBytes);
        }
      })();
    },
  };
}
