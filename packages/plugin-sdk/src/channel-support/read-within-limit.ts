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

class BodyTooLarge extends Error {}

/**
 * The body of a request a platform sent (a webhook), or undefined when it is larger than `maxBytes`:
 * a declared `content-length` over the limit is refused before anything is read, and a body that
 * passes the limit while it arrives stops being read there (its stream is cancelled), whatever it declared.
 */
export async function readRequestBody(request: Request, maxBytes: number): Promise<Buffer | undefined> {
  if (Number(request.headers.get('content-length') ?? '0') > maxBytes) return undefined;
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  try {
    for await (const chunk of readWithinLimit(request.body, maxBytes, () => new BodyTooLarge())) chunks.push(chunk);
  } catch (error) {
    if (error instanceof BodyTooLarge) return undefined;
    throw error;
  }
  return Buffer.concat(chunks);
}
