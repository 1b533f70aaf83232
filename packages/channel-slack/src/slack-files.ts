import {
  type Address,
  type Attachment,
  ChannelApiError,
  type FetchAttachmentOptions,
  type OutboundFile,
  readWithinLimit,
  type SendReceipt,
} from '@ngb/plugin-sdk';
import type { WebClient } from '@slack/web-api';
import { escapeSlackText } from './convert-to-slack-markup';
import { mapSlackError } from './map-slack-error';

const channel = 'slack';
const prefix = '[@ngb/channel-slack]';
const maxRedirects = 3;

type SharesByChat = Record<string, Array<{ ts?: string }>>;

/** Options of {@link createSlackFiles}. */
export interface SlackFilesOptions {
  client: WebClient;
  botToken: string;
  /** The Web API base: files on its origin are trusted with the bot token too (a fake Slack in tests). */
  apiUrl: string;
  fetch?: typeof fetch;
}

/**
 * Hosts the bot token may be sent to: Slack's own (`*.slack.com`, `*.slack-edge.com`, over https) and
 * the origin of the configured API. A file reference naming any other host is refused.
 */
function trusted(url: URL, apiOrigin: string): boolean {
  if (url.origin === apiOrigin) return true;
  const host = url.hostname;
  return url.protocol === 'https:' && (host === 'slack.com' || host.endsWith('.slack.com') || host.endsWith('.slack-edge.com'));
}

function tooLarge(size: number, maxBytes: number): ChannelApiError {
  return new ChannelApiError(channel, `${prefix} the file (${size} bytes or more) is larger than ${maxBytes} bytes`, {
    status: 413,
  });
}

/** Files both ways: the three-step upload of `files.uploadV2`, and downloads of private file URLs with the bot token. */
export function createSlackFiles(options: SlackFilesOptions) {
  const fetchFn = options.fetch ?? fetch;
  const apiOrigin = new URL(options.apiUrl).origin;

  return {
    /** `files.getUploadURLExternal` → upload the bytes → `files.completeUploadExternal` into the chat. */
    async sendFile(address: Address, file: OutboundFile): Promise<SendReceipt> {
      try {
        const target = await options.client.files.getUploadURLExternal({ filename: file.name, length: file.data.length });
        if (!target.upload_url || !target.file_id)
          throw new ChannelApiError(channel, `${prefix} Slack gave no upload URL`, { status: 502 });
        const uploaded = await fetchFn(target.upload_url, {
          method: 'POST',
          headers: { 'content-type': file.mimeType ?? 'application/octet-stream' },
          body: file.data as Uint8Array<ArrayBuffer>,
          redirect: 'error',
        });
        await uploaded.body?.cancel();
        if (!uploaded.ok) {
          throw new ChannelApiError(channel, `${prefix} the file upload answered HTTP ${uploaded.status}`, {
            status: uploaded.status,
          });
        }
        const completed = await options.client.files.completeUploadExternal({
          files: [{ id: target.file_id, title: file.name }],
          channel_id: address.chatId,
          ...(address.threadId ? { thread_ts: address.threadId } : {}),
          ...(file.caption ? { initial_comment: escapeSlackText(file.caption) } : {}),
        });
        // Private channels and DMs are listed under `private`, which the SDK's type leaves out.
        const shared = completed.files?.[0]?.shares as { public?: SharesByChat; private?: SharesByChat } | undefined;
        const shares = { ...shared?.public, ...shared?.private }[address.chatId];
        // Slack shares the file asynchronously; without a share yet, the file id names the message.
        return { platformMessageId: shares?.[0]?.ts ?? target.file_id };
      } catch (error) {
        throw mapSlackError(error);
      }
    },

    /** Streams a private file with the bot token, refusing past `maxBytes` (announced or counted) with 413. */
    async fetchAttachment(attachment: Attachment, fetchOptions: FetchAttachmentOptions): Promise<AsyncIterable<Uint8Array>> {
      const { maxBytes, signal } = fetchOptions;
      if (attachment.size !== undefined && attachment.size > maxBytes) throw tooLarge(attachment.size, maxBytes);
      let url: URL;
      try {
        url = new URL(attachment.reference);
      } catch {
        throw new ChannelApiError(channel, `${prefix} the attachment reference is not a URL`, { status: 400 });
      }
      for (let hop = 0; ; hop += 1) {
        if (!trusted(url, apiOrigin)) {
          throw new ChannelApiError(channel, `${prefix} refusing to send the bot token to ${url.host} (not a Slack host)`, {
            status: 400,
          });
        }
        let response: Response;
        try {
          response = await fetchFn(url, {
            headers: { authorization: `Bearer ${options.botToken}` },
            redirect: 'manual',
            ...(signal ? { signal } : {}),
          });
        } catch (error) {
          throw mapSlackError(error);
        }
        const location = response.headers.get('location');
        if (response.status >= 300 && response.status < 400 && location && hop < maxRedirects) {
          await response.body?.cancel();
          url = new URL(location, url);
          continue;
        }
        if (!response.ok || !response.body) {
          await response.body?.cancel();
          const status = response.status === 429 || response.status >= 500 || response.status === 404 ? response.status : 502;
          throw new ChannelApiError(channel, `${prefix} the file download answered HTTP ${response.status}`, {
            status,
            retryAfterMs: response.status === 429 ? Number(response.headers.get('retry-after') ?? '1') * 1000 : undefined,
          });
        }
        if ((response.headers.get('content-type') ?? '').startsWith('text/html') && attachment.mimeType !== 'text/html') {
          await response.body.cancel();
          // Slack serves its sign-in page instead of the file when the token may not read files.
          throw new ChannelApiError(channel, `${prefix} missing permission files:read (Slack answered with a sign-in page)`, {
            status: 403,
          });
        }
        const length = Number(response.headers.get('content-length') ?? Number.NaN);
        if (Number.isFinite(length) && length > maxBytes) {
          await response.body.cancel();
          throw tooLarge(length, maxBytes);
        }
        return readWithinLimit(response.body, maxBytes, (bytes) => tooLarge(bytes, maxBytes));
      }
    },
  };
}
