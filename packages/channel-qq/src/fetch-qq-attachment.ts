import { type Attachment, attachmentTooLarge, ChannelApiError, type FetchAttachmentOptions, readDownload } from '@ngb/plugin-sdk';

const prefix = '[@ngb/channel-qq]';

/**
 * Downloads an inbound file from the URL its segment carried (QQ's media hosts, or the OneBot
 * implementation itself when it serves files), refusing before reading when its announced size
 * passes `maxBytes` and while reading when the bytes do. Only hosts the adapter trusts are fetched: the
 * reference comes back from the store, and a forged one must not make the gateway fetch any URL.
 */
export async function fetchQQAttachment(
  attachment: Attachment,
  options: FetchAttachmentOptions,
  settings: { fetch: typeof fetch; hosts: readonly string[] },
): Promise<AsyncIterable<Uint8Array>> {
  const { maxBytes, signal } = options;
  if (attachment.size !== undefined && attachment.size > maxBytes) throw attachmentTooLarge('qq', attachment.size, maxBytes);
  let url: URL;
  try {
    url = new URL(attachment.reference);
  } catch {
    throw new ChannelApiError('qq', `${prefix} the attachment reference is not a URL`, { status: 400, retryable: false });
  }
  if (!['https:', 'http:'].includes(url.protocol) || !settings.hosts.includes(url.host)) {
    throw new ChannelApiError(
      'qq',
      `${prefix} refusing to download an attachment from ${url.host}: neither the OneBot host nor one of \`attachmentHosts\``,
      {
        status: 400,
        retryable: false,
      },
    );
  }
  let response: Response;
  try {
    // No redirects: an allowed host must not hand the download on to an address it was not allowed to reach.
    response = await settings.fetch(url, { signal, redirect: 'error' });
  } catch (error) {
    throw new ChannelApiError('qq', `${prefix} downloading ${attachment.name ?? 'an attachment'} failed`, {
      retryable: true,
      cause: error,
    });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ChannelApiError(
      'qq',
      `${prefix} downloading ${attachment.name ?? 'an attachment'}: the file host answered ${response.status}`,
      {
        status: response.status,
      },
    );
  }
  return readDownload(response, maxBytes, 'qq');
}
