import { type Attachment, attachmentTooLarge, type FetchAttachmentOptions, readDownload } from '@ngb/plugin-sdk';
import { mapWeComError } from './map-wecom-error';
import type { WeComApi } from './wecom-api';

const channel = 'wecom';
/**
 * Downloads an inbound file through `/cgi-bin/media/get` (its `MediaId` is the attachment's
 * reference), streamed: refused with 413 before reading when `Content-Length` passes the limit, and
 * while reading as soon as more arrived.
 */
export async function fetchWeComAttachment(
  api: WeComApi,
  attachment: Attachment,
  options: FetchAttachmentOptions,
  ceiling: number,
): Promise<AsyncIterable<Uint8Array>> {
  const limit = Math.min(options.maxBytes, ceiling);
  if (attachment.size !== undefined && attachment.size > limit) throw attachmentTooLarge(channel, attachment.size, limit);
  let response: Response;
  try {
    response = await api.download('cgi-bin/media/get', { media_id: attachment.reference }, options.signal);
  } catch (error) {
    throw mapWeComError(error);
  }
  return readDownload(response, limit, channel);
}
