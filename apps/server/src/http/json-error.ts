import type { Logger } from '@ngb/plugin-sdk';
import { ConfigError, errorMessage, NgbError, NotFoundError, NotSupportedError } from '@ngb/plugin-sdk';

/** The body of every error response: a stable machine code and a sentence for a person. */
interface ErrorBody {
  error: { code: string; message: string };
}

/** A JSON error response. */
export function jsonError(status: number, code: string, message: string, headers?: Record<string, string>): Response {
  const body: ErrorBody = { error: { code, message } };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** An error a route throws on purpose, answered as it is. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * The response for anything a route threw: its own status for an {@link HttpError}, 404 for an
 * unknown id, 400 for refused input, 409 for a refused state change, 501 for what is not built,
 * else 500 with a neutral message (the details go to the log, never to the client).
 */
export function errorResponse(error: unknown, logger: Logger): Response {
  if (error instanceof HttpError) return jsonError(error.status, error.code, error.message);
  if (NotFoundError.isInstance(error)) return jsonError(404, 'not_found', errorMessage(error));
  if (ConfigError.isInstance(error)) return jsonError(400, 'invalid_request', errorMessage(error));
  if (NotSupportedError.isInstance(error)) return jsonError(501, 'not_supported', errorMessage(error));
  if (NgbError.isInstance(error)) return jsonError(409, error.code, errorMessage(error));
  logger.error('request failed', { error: errorMessage(error) });
  return jsonError(500, 'internal', 'the server failed to answer this request; the details are in the log');
}
