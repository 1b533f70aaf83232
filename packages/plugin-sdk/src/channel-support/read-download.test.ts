import { describe, expect, it } from 'vitest';
import { ChannelApiError } from '../errors';
import { readDownload } from './read-download';

async function drain(chunks: AsyncIterable<Uint8Array>): Promise<number> {
  let total = 0;
  for await (const chunk of chunks) total += chunk.length;
  return total;
}

function response(sizes: number[], headers: Record<string, string> = {}, cancelled: string[] = []) {
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const size = sizes.shift();
      if (size === undefined) controller.close();
      else controller.enqueue(new Uint8Array(size));
    },
    cancel() {
      cancelled.push('cancelled');
    },
  });
  return new Response(body, { headers });
}

describe('readDownload', () => {
  it('streams a download within the limit', async () => {
    expect(await drain(await readDownload(response([4, 4, 2]), 10, 'qq'))).toBe(10);
  });

  it('refuses before reading when Content-Length passes the limit, and cancels the body', async () => {
    const cancelled: string[] = [];
    const refused = await readDownload(response([11], { 'content-length': '11' }, cancelled), 10, 'qq').catch((error) => error);
    expect(ChannelApiError.isInstance(refused)).toBe(true);
    expect(refused).toMatchObject({ status: 413, retryable: false });
    expect(refused.message).toBe('[@ngb/channel-qq] the attachment (11 bytes) is larger than the 10 bytes allowed');
    expect(cancelled).toEqual(['cancelled']);
  });

  it('refuses while reading when the bytes pass the limit, whatever the header said', async () => {
    const chunks = await readDownload(response([6, 6], { 'content-length': '5' }), 10, 'wecom');
    await expect(drain(chunks)).rejects.toThrow(
      '[@ngb/channel-wecom] the attachment (more than 10 bytes) is larger than the 10 bytes allowed',
    );
  });

  it('gives an empty download for an answer without a body', async () => {
    expect(await drain(await readDownload(new Response(null), 10, 'qq'))).toBe(0);
  });
});
