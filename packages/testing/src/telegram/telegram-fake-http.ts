import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, readForm } from '../http/request-body';

/** A request parameter as the fake read it: JSON values, form strings, or an uploaded file. */
export type FakeTelegramParam = unknown;

/** An uploaded file read from a multipart request. */
export interface FakeTelegramPart {
  name: string;
  size: number;
  data: Uint8Array;
  mimeType: string;
}

/** Why a call fails: what the Bot API answers (`ok:false` with `error_code` and `description`). */
export class FakeTelegramFailure extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
    readonly retryAfter?: number,
  ) {
    super(description);
  }
}

/** The Bot API's "Bad Request" failure. */
export const badRequest = (description: string) => new FakeTelegramFailure(400, `Bad Request: ${description}`);

function maybeJson(value: string): unknown {
  if (!/^[[{]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** Reads the parameters of a Bot API call: a JSON body, a form, a multipart form with files, or the query. */
export async function readParams(request: IncomingMessage, url: URL): Promise<Record<string, FakeTelegramParam>> {
  const params: Record<string, FakeTelegramParam> = Object.fromEntries(url.searchParams);
  const body = await readBody(request);
  if (body.length === 0) return params;
  const type = request.headers['content-type'] ?? '';
  if (type.includes('application/json')) {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null) throw badRequest('parameters must be a JSON object');
    return { ...params, ...(parsed as Record<string, unknown>) };
  }
  if (type.includes('multipart/form-data') || type.includes('application/x-www-form-urlencoded')) {
    const form = await readForm(body, type);
    for (const [key, value] of form) {
      if (typeof value === 'string') params[key] = maybeJson(value);
      else {
        const data = new Uint8Array(await value.arrayBuffer());
        const part: FakeTelegramPart = { name: value.name, size: data.length, data, mimeType: value.type };
        params[key] = part;
      }
    }
    return params;
  }
  throw badRequest(`unsupported content type ${type}`);
}

/** Writes a Bot API answer: `{ok:true,result}`, or the failure (HTTP 5xx with a bare status line, as the API gateway does). */
export function writeAnswer(response: ServerResponse, outcome: { result: unknown } | { failure: FakeTelegramFailure }): void {
  if ('result' in outcome) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ ok: true, result: outcome.result }));
    return;
  }
  const { status, description, retryAfter } = outcome.failure;
  response.writeHead(status, { 'content-type': 'application/json' });
  const parameters = retryAfter === undefined ? {} : { parameters: { retry_after: retryAfter } };
  response.end(JSON.stringify({ ok: false, error_code: status, description, ...parameters }));
}

/** A required string or number parameter, as a string. */
export function stringParam(params: Record<string, FakeTelegramParam>, name: string): string {
  const value = params[name];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  throw badRequest(`${name} is empty`);
}

/** An optional integer parameter (a number, or a string of digits as forms send). */
export function optionalInteger(params: Record<string, FakeTelegramParam>, name: string): number | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(number)) throw badRequest(`invalid ${name} specified`);
  return number;
}
