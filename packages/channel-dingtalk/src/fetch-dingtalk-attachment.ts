import { type Attachment, attachmentTooLarge, ChannelApiError, type FetchAttachmentOptions, readDownload } from '@ngb/plugin-sdk';
import type { DingTalkApi } from './dingtalk-api';
import { mapDingTalkError } from './map-dingtalk-error';

const prefix = '[@ngb/channel-dingtalk]';

/**
 * Downloads an inbound file: its `reference` is the message's `downloadCode`, exchanged at the robot
 * file API for a short-lived download URL, then read while counting (refused with 413 from the
 * announced size, and as soon as the bytes pass `maxBytes`).
 */
export async function fetchDingTalkAttachment(
  attachment: Attachment,
  options: FetchAttachmentOptions,
  settings: { api: DingTalkApi; robotCode: string; fetch: typeof fetch },
): Promise<AsyncIterable<Uint8Array>> {
  const { maxBytes, signal } = options;
  if (attachment.size !== undefined && attachment.size > maxBytes)
    throw attachmentTooLarge('dingtalk', attachment.size, maxBytes);
  const answer = await settings.api.call(
    '/v1.0/robot/messageFiles/download',
    { downloadCode: attachment.reference, robotCode: settings.robotCode },
    'the robot file download API',
  );
  const downloadUrl = answer.downloadUrl;
  if (typeof downloadUrl !== 'string' || !/^https?:\/\//.test(downloadUrl))
    throw new ChannelApiError('dingtalk', `${prefix} the file download API answered without a download URL`, {
      retryable: false,
    });
  let response: Response;
  try {
    response = await settings.fetch(downloadUrl, { signal });
  } catch (error) {
    throw mapDingTalkError(error);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw mapDingTalkError({ call: `downloading ${attachment.name ?? 'an attachment'}`, status: response.status });
  }
  return readDownload(response, maxBytes, 'dingtalk');
}
