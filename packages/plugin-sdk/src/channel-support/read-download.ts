import { ChannelApiError } from '../errors';
import { readWithinLimit } from './read-within-limit';

/**
 * The refusal of a file past the limit: a ChannelApiError of `channel` with status 413, not retryable.
 * @param bytes what is known of its size: announced, or how much had arrived when reading stopped
 */
export function attachmentTooLarge(channel: string, bytes: number, maxBytes: number, announced = true): ChannelApiError {
  const size = announced ? `${bytes} bytes` : `more than ${maxBytes} bytes`;
  return new ChannelApiError(
    channel,
    `[@ngb/channel-${channel}] the attachment (${size}) is larger than the ${maxBytes} bytes allowed`,
    {
      status: 413,
      retryable: false,
    },
  );
}

/**
 * Streams a download's body within `maxBytes` for `channel`: refused with {@link attachmentTooLarge}
 * (the body cancelled) before reading when its `Content-Length` passes the limit, and while reading as
 * soon as the bytes do, whatever the header said. A download without a body is empty.
 */
export async function readDownload(response: Response, maxBytes: number, channel: string): Promise<AsyncIterable<Uint8Array>> {
  const announced = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(announced) && announced > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw attachmentTooLarge(channel, announced, maxBytes);
  }
  if (!response.body) return (async function* empty() {})();
  return readWithinLimit(response.body, maxBytes, (bytes) => attachmentTooLarge(channel, bytes, maxBytes, false));
}
