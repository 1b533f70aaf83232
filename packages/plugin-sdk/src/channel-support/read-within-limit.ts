/**
 * Yields the chunks of a download as they arrive and throws `tooLarge(bytesSoFar)` as soon as more than
 * `maxBytes` arrived: a platform's announced size (or `content-length`) is checked before, never trusted
 * instead. The download is cancelled when reading stops, whether it ended, failed or was abandoned.
 */
export async function* readWithinLimit(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
  tooLarge: (bytesSoFar: number) => Error,
): AsyncIterable<Uint8Array> {
  const reader = body.getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      total += value.length;
      if (total > maxBytes) throw tooLarge(total);
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
