/** A JSON response. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/** The JSON error answer: `{ "error": { "code", "message" } }`. */
export function errorResponse(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return jsonResponse(status, { error: { code, message } }, headers);
}

/** A request body as text, or why it was refused. */
export type BodyRead = { ok: true; text: string } | { ok: false; response: Response };

/**
 * Reads a JSON request body of at most `maxBytes`, refusing a wrong content type (415) and a larger
 * body (413) without buffering more than `maxBytes`: a declared `Content-Length` over it is refused
 * unread, and a stream that grows past it is cancelled.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<BodyRead> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json')
    return refuse(415, 'unsupported-media-type', 'send the message as Content-Type: application/json');
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  const tooLarge = () => refuse(413, 'body-too-large', `the request body is larger than ${maxBytes} bytes`);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await request.body?.cancel().catch(() => undefined);
    return tooLarge();
  }
  if (request.body === null) return { ok: true, text: '' };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return tooLarge();
    }
    chunks.push(value);
  }
  const whole = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(whole) };
  } catch {
    return refuse(400, 'invalid-json', 'the request body is not UTF-8 text');
  }
}

function refuse(status: number, code: string, message: string): BodyRead {
  return { ok: false, response: errorResponse(status, code, message) };
}
