// The fake's REST side: the routes of Discord's HTTP API (v10) a bot uses, and its CDN.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, readForm } from '../http/request-body';

/** A failure the next matching REST call answers with. */
export interface FakeDiscordFailure {
  /** HTTP status: 429, 5xx, 401, 403, 400, 404 ... */
  status: number;
  /** Discord's JSON error code (`50013` Missing Permissions, `50001` Missing Access, `50035` Invalid Form Body). */
  code?: number;
  /** The error message in the JSON body. @default the status's usual text */
  message?: string;
  /** For 429: seconds to wait, sent as `retry_after` in the body and in the `Retry-After` header. @default 1 */
  retryAfterSeconds?: number;
  /** For 429: a global rate limit (`X-RateLimit-Global`). @default false */
  global?: boolean;
  /** Only calls whose path contains this fail. @default '/channels/' */
  match?: string;
}

/** One HTTP request the fake answered. */
export interface FakeDiscordRequest {
  method: string;
  path: string;
  status: number;
}

export interface ParsedBody {
  json: Record<string, unknown>;
  files: Array<{ field: string; filename: string; contentType: string; data: Uint8Array }>;
}

const statusTexts: Record<number, string> = {
  400: 'Bad Request',
  401: '401: Unauthorized',
  403: 'Missing Permissions',
  404: 'Not Found',
  429: 'You are being rate limited.',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** Reads a JSON body or a multipart one (`payload_json` plus `files[n]`), as Discord accepts both. */
export async function parseBody(request: IncomingMessage): Promise<ParsedBody> {
  const raw = await readBody(request);
  const contentType = request.headers['content-type'] ?? '';
  if (contentType.startsWith('multipart/form-data')) {
    const form = await readForm(raw, contentType);
    const files: ParsedBody['files'] = [];
    let json: Record<string, unknown> = {};
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') json = parseObject(value);
      } else {
        files.push({ field, filename: value.name, contentType: value.type, data: new Uint8Array(await value.arrayBuffer()) });
      }
    }
    return { json, files };
  }
  return { json: raw.length === 0 ? {} : parseObject(raw.toString('utf8')), files: [] };
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Answers with a JSON body. @returns the status, for the request log */
export function writeJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): number {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
  return status;
}

/** Answers 204. @returns the status, for the request log */
export function writeEmpty(response: ServerResponse): number {
  response.writeHead(204);
  response.end();
  return 204;
}

/** Answers a request with an injected failure, as Discord shapes its errors. */
export function writeFailure(response: ServerResponse, failure: FakeDiscordFailure): void {
  const message = failure.message ?? statusTexts[failure.status] ?? 'Error';
  if (failure.status === 429) {
    const retryAfter = failure.retryAfterSeconds ?? 1;
    writeJson(
      response,
      429,
      { message, retry_after: retryAfter, global: failure.global ?? false, code: failure.code ?? 0 },
      {
        'retry-after': String(retryAfter),
        'x-ratelimit-scope': failure.global ? 'global' : 'user',
        ...(failure.global ? { 'x-ratelimit-global': 'true' } : {}),
      },
    );
    return;
  }
  if (failure.status >= 500) {
    response.writeHead(failure.status, { 'content-type': 'text/plain' });
    response.end(message);
    return;
  }
  writeJson(response, failure.status, { message, code: failure.code ?? 0 });
}

/** Discord's answer to content it refuses (Invalid Form Body). */
export function invalidFormBody(response: ServerResponse, field: string, code: string, detail: string): void {
  writeJson(response, 400, {
    message: 'Invalid Form Body',
    code: 50035,
    errors: { [field]: { _errors: [{ code, message: detail }] } },
  });
}
