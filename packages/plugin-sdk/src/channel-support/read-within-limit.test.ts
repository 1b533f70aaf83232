import { describe, expect, it } from 'vitest';
import { readRequestBody, readWithinLimit } from './read-within-limit';

function streamOf(chunks: number[], cancelled: string[]) {
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const size = chunks.shift();
      if (size === undefined) controller.close();
      else controller.enqueue(new Uint8Array(size));
    },
    cancel() {
      cancelled.push('cancelled');
    },
  });
}

describe('readWithinLimit', () => {
  it('yields every chunk of a download within the limit', async () => {
    const sizes: number[] = [];
    for await (const chunk of readWithinLimit(streamOf([3, 4, 3], []), 10, () => new Error('too large')))
      sizes.push(chunk.length);
    expect(sizes).toEqual([3, 4, 3]);
  });

  it('throws once one byte more than the limit arrived, and cancels the download', async () => {
    const cancelled: string[] = [];
    const seen: number[] = [];
    const reading = (async () => {
      for await (const chunk of readWithinLimit(streamOf([6, 5, 100], cancelled), 10, (bytes) => new Error(`${bytes} bytes`)))
        seen.push(chunk.length);
    })();
    await expect(reading).rejects.toThrow('11 bytes');
    expect(seen).toEqual([6]);
    expect(cancelled).toEqual(['cancelled']);
  });
});

describe('readRequestBody', () => {
  const post = (body: ReadableStream<Uint8Array> | string | null, headers: Record<string, string> = {}) =>
    new Request('http://127.0.0.1/webhook', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

  it('reads a body up to the limit, and an absent body as empty', async () => {
    expect((await readRequestBody(post('{"ok":true}'), 11))?.toString()).toBe('{"ok":true}');
    expect(await readRequestBody(post(null), 10)).toEqual(Buffer.alloc(0));
  });

  it('refuses a declared length over the limit without reading the body', async () => {
    const pulled: number[] = [];
    // No chunk is asked for before somebody reads.
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled.push(1);
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    expect(await readRequestBody(post(body, { 'content-length': '11' }), 10)).toBeUndefined();
    expect(pulled).toEqual([]);
  });

  it('stops reading a body that passes the limit whatever it declared, and cancels it', async () => {
    const cancelled: string[] = [];
    expect(await readRequestBody(post(streamOf([6, 5, 100], cancelled), { 'content-length': '3' }), 10)).toBeUndefined();
    expect(cancelled).toEqual(['cancelled']);
  });
});
