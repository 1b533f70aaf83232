import { describe, expect, it } from 'vitest';
import { readWithinLimit } from './read-within-limit';

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
