import type { IncomingMessage } from 'node:http';

/**
 * Plain HTTP names no TLS peer. Left unset, Node derives the name from the Host header through
 * `net.isIP`, whose IPv6 pattern is compiled at its first use (10-20 ms, on the way to a gateway's
 * ready line). Every request takes `servername`; only the `https` types declare it.
 */
export const noServerName = { servername: '' };

/**
 * An answer of the engine outside 2xx: `statusCode` and the engine's `json.message`, the shape
 * `mapDockerError` reads.
 */
export class EngineApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly json: { message?: string },
  ) {
    super(`(HTTP code ${statusCode}) ${json.message ?? 'unexpected answer from the Docker engine'}`);
    this.name = 'EngineApiError';
  }
}

/** The engine's error answers are one short JSON object; more than this is not one. */
export const maxErrorAnswerBytes = 64 * 1024;

/**
 * Reads an answer of at most `maxBytes` (the engine's `Content-Length` is not trusted: the count is of
 * the bytes that arrive) and parses it when it says it is JSON.
 * @returns the parsed JSON, the text otherwise, for a 2xx answer
 * @throws EngineApiError for any other status; an Error when the answer is larger than `maxBytes`, is
 *   cut off, or claims to be JSON and is not
 */
export function readEngineAnswer(response: IncomingMessage, what: string, maxBytes: number): Promise<unknown> {
  const status = response.statusCode ?? 0;
  const success = status >= 200 && status < 300;
  const limit = success ? maxBytes : Math.min(maxBytes, maxErrorAnswerBytes);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        response.destroy(new Error(`[@ngb/runtime] the Docker engine answered ${what} with more than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    response.on('error', reject);
    response.on('aborted', () => reject(new Error(`[@ngb/runtime] the Docker engine's answer to ${what} was cut off`)));
    response.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const isJson = (response.headers['content-type'] ?? '').includes('json');
      let body: unknown = text;
      if (isJson && text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          if (success) return reject(new Error(`[@ngb/runtime] the Docker engine answered ${what} with malformed JSON`));
        }
      }
      if (success) return resolve(body);
      const message =
        typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string'
          ? (body as { message: string }).message
          : text.trim() || undefined;
      reject(new EngineApiError(status, message === undefined ? {} : { message }));
    });
  });
}
