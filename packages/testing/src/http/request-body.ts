import type { IncomingMessage } from 'node:http';

/** Reads a request's whole body. */
export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Parses a `multipart/form-data` or `application/x-www-form-urlencoded` body with the platform's own
 * parser (undici's, behind `Request.formData`), as a real server would read what an SDK uploads.
 */
export function readForm(body: Uint8Array, contentType: string): Promise<FormData> {
  return new Request('http://fake.invalid/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: body as Uint8Array<ArrayBuffer>,
  }).formData();
}
