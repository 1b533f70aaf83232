import { type Attachment, attachmentTooLarge, ChannelApiError, type FetchAttachmentOptions, readDownload } from '@ngb/plugin-sdk';

const prefix = '[@ngb/channel-discord]';

/**
 * Downloads an inbound attachment from Discord's CDN, refusing before reading when its announced size
 * passes `maxBytes` and while reading when the bytes do. Only hosts the adapter trusts are fetched: the
 * reference comes back from the store, and a forged one must not make the gateway fetch any URL.
 */
export async function fetchDiscordAttachment(
  attachment: Attachment,
  options: FetchAttachmentOptions,
  settings: { fetch: typeof fetch; hosts: readonly string[] },
): Promise<AsyncIterable<Uint8Array>> {
  const { maxBytes, signal } = options;
  if (attachment.size !== undefined && attachment.size > maxBytes) throw attachmentTooLarge('discord', attachment.size, maxBytes);
  let url: URL;
  try {
    url = new URL(attachment.reference);
  } catch {
    throw new ChannelApiError('discord', `${prefix} the attachment reference is not a URL`, { status: 400, retryable: false });
  }
  if (!['https:', 'http:'].includes(url.protocol) || !settings.hosts.includes(url.host)) {
    throw new ChannelApiError(
      'discord',
      `${prefix} refusing to download an attachment from ${url.host}: not a Discord file host`,
      {
        status: 400,
        retryable: false,
      },
    );
  }
  let response: Response;
  try {
    response = await settings.fetch(url, { signal });
  } catch (error) {
    throw new ChannelApiError('discord', `${prefix} downloading ${attachment.name ?? 'an attachment'} failed`, {
      retryable: true,
      cause: error,
    });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ChannelApiError(
      'discord',
      `${prefix} downloading ${attachment.name ?? 'an attachment'}: the CDN answered ${response.status}`,
      {
        status: response.status,
      },
    );
  }
  return readDownload(response, maxBytes, 'discord');
}
