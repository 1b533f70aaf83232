import type { APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';

/** The SDK's error classes, from the module loaded on the first call. */
export interface AnthropicErrorClasses {
  APIError: typeof APIError;
  APIConnectionTimeoutError: typeof APIConnectionTimeoutError;
}

import { isRetryableStatus, LlmApiError, parseRetryAfter } from '@ngb/plugin-sdk';

const label = '[@ngb/llm-anthropic]';
const retryableTypes = new Set(['overloaded_error', 'api_error', 'rate_limit_error', 'timeout_error']);

/**
 * Turns whatever the SDK or the stream threw into an LlmApiError (abort reasons are handled before
 * this is called). A 404 names the model.
 */
export function mapAnthropicError(error: unknown, model: string, sdk: AnthropicErrorClasses): LlmApiError {
  if (LlmApiError.isInstance(error)) return error;
  if (error instanceof sdk.APIConnectionTimeoutError) {
    return new LlmApiError('anthropic', `${label} the API did not answer in time`, { retryable: true, cause: error });
  }
  if (error instanceof sdk.APIError) {
    const status = error.status;
    const detail = error.apiMessage ?? error.message;
    if (status === 404) {
      return new LlmApiError('anthropic', `${label} model "${model}" was not found (404): ${detail}`, { status, cause: error });
    }
    const retryable = status === undefined ? retryableTypes.has(error.type ?? '') : isRetryableStatus(status);
    const prefix =
      status === undefined ? `stream error ${error.type ?? ''}`.trim() : `${status}${error.type ? ` ${error.type}` : ''}`;
    return new LlmApiError('anthropic', `${label} ${prefix}: ${detail}`, {
      status,
      retryable,
      retryAfterMs: parseRetryAfter(error.headers),
      cause: error,
    });
  }
  if (error instanceof SyntaxError) {
    return new LlmApiError('anthropic', `${label} the stream carried an event that is not valid JSON: ${error.message}`, {
      retryable: false,
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new LlmApiError('anthropic', `${label} the connection failed: ${message}`, { retryable: true, cause: error });
}
