import { isRetryableStatus, LlmApiError, parseRetryAfter } from '@ngb/plugin-sdk';
import type { APIConnectionTimeoutError, APIError } from 'openai';

/** The SDK's error classes, from the module loaded on the first call. */
export interface OpenAIErrorClasses {
  APIError: typeof APIError;
  APIConnectionTimeoutError: typeof APIConnectionTimeoutError;
}

const label = '[@ngb/llm-openai]';

/**
 * Turns whatever the SDK or the stream threw into an LlmApiError (abort reasons are handled before
 * this is called). A 404 names the model.
 */
export function mapOpenAIError(error: unknown, model: string, sdk: OpenAIErrorClasses): LlmApiError {
  if (LlmApiError.isInstance(error)) return error;
  if (error instanceof sdk.APIConnectionTimeoutError) {
    return new LlmApiError('openai', `${label} the server did not answer in time`, { retryable: true, cause: error });
  }
  if (error instanceof sdk.APIError) {
    const status = error.status;
    const body = (error.error ?? {}) as { message?: unknown };
    const detail = typeof body.message === 'string' ? body.message : error.message;
    if (status === 404) {
      return new LlmApiError('openai', `${label} model "${model}" was not found (404): ${detail}`, { status, cause: error });
    }
    const prefix = status === undefined ? 'stream error' : `${status}${error.code ? ` ${error.code}` : ''}`;
    return new LlmApiError('openai', `${label} ${prefix}: ${detail}`, {
      status,
      retryable: isRetryableStatus(status),
      retryAfterMs: parseRetryAfter(error.headers),
      cause: error,
    });
  }
  if (error instanceof SyntaxError) {
    return new LlmApiError('openai', `${label} the stream carried a chunk that is not valid JSON: ${error.message}`, {
      retryable: false,
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new LlmApiError('openai', `${label} the connection failed: ${message}`, { retryable: true, cause: error });
}
