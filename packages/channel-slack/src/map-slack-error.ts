import { ChannelApiError, errorMessage } from '@ngb/plugin-sdk';

const channel = 'slack';
const prefix = '[@ngb/channel-slack]';

/** Slack's `error` codes that mean the token is not (or no longer) accepted. */
const tokenRefused = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'not_allowed_token_type',
  'invalid_token',
  'two_factor_setup_required',
]);
/** Slack's `error` codes of a passing failure on its side. */
const transient = new Set(['fatal_error', 'internal_error', 'service_unavailable', 'request_timeout', 'team_added_to_org']);
/** Slack's `error` codes that mean the message or file is gone. */
const gone = new Set(['message_not_found', 'file_not_found', 'file_deleted', 'thread_not_found']);

/** The parts of @slack/web-api's errors read here (matched by shape, so the SDK need not be loaded). */
interface SlackErrorShape {
  code?: unknown;
  data?: { error?: unknown; needed?: unknown; response_metadata?: { retryAfter?: unknown } };
  statusCode?: unknown;
  headers?: Record<string, unknown>;
  retryAfter?: unknown;
  original?: unknown;
}

function secondsToMs(value: unknown): number | undefined {
  const seconds = typeof value === 'string' ? Number(value) : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
}

function fromPlatformError(code: string, shape: SlackErrorShape, cause: unknown): ChannelApiError {
  if (code === 'ratelimited' || code === 'rate_limited') {
    return new ChannelApiError(channel, `${prefix} rate limited by Slack (${code})`, {
      status: 429,
      retryAfterMs: secondsToMs(shape.data?.response_metadata?.retryAfter),
      cause,
    });
  }
  if (tokenRefused.has(code)) {
    return new ChannelApiError(
      channel,
      `${prefix} token rejected by Slack (${code}): check SLACK_BOT_TOKEN and SLACK_APP_TOKEN`,
      {
        status: 401,
        cause,
      },
    );
  }
  if (code === 'missing_scope' || code === 'no_permission' || code === 'not_in_channel') {
    const needed = typeof shape.data?.needed === 'string' ? shape.data.needed : undefined;
    const what = needed !== undefined ? `missing permission ${needed}` : `missing permission (${code})`;
    return new ChannelApiError(channel, `${prefix} ${what}: add it to the Slack app and reinstall it`, { status: 403, cause });
  }
  if (transient.has(code)) return new ChannelApiError(channel, `${prefix} Slack failed (${code})`, { status: 503, cause });
  if (gone.has(code)) return new ChannelApiError(channel, `${prefix} not found on Slack (${code})`, { status: 404, cause });
  if (code === 'msg_too_long' || code === 'file_too_large' || code === 'request_too_large') {
    return new ChannelApiError(channel, `${prefix} too large for Slack (${code})`, { status: 413, cause });
  }
  return new ChannelApiError(channel, `${prefix} Slack refused the call (${code})`, { status: 400, cause });
}

/**
 * Turns any failure of a Slack call into one `ChannelApiError`: 429 (HTTP or `ratelimited`) is
 * retryable with `retryAfterMs` from `Retry-After`; 5xx, Slack's own transient errors and network
 * failures are retryable; a refused token is 401 and a missing scope 403 naming the scope (neither
 * retryable); everything else is a 4xx that is not retried.
 */
export function mapSlackError(error: unknown): ChannelApiError {
  if (ChannelApiError.isInstance(error)) return error;
  const shape: SlackErrorShape = typeof error === 'object' && error !== null ? (error as SlackErrorShape) : {};
  switch (shape.code) {
    case 'slack_webapi_rate_limited_error':
      return new ChannelApiError(channel, `${prefix} rate limited by Slack`, {
        status: 429,
        retryAfterMs: secondsToMs(shape.retryAfter),
        cause: error,
      });
    case 'slack_webapi_platform_error':
      return fromPlatformError(String(shape.data?.error ?? 'unknown_error'), shape, error);
    case 'slack_webapi_http_error': {
      const status = typeof shape.statusCode === 'number' ? shape.statusCode : 500;
      return new ChannelApiError(channel, `${prefix} Slack answered HTTP ${status}`, {
        status,
        retryAfterMs: status === 429 ? secondsToMs(shape.headers?.['retry-after']) : undefined,
        cause: error,
      });
    }
    case 'slack_webapi_request_error':
      return new ChannelApiError(channel, `${prefix} Slack could not be reached: ${errorMessage(shape.original ?? error)}`, {
        retryable: true,
        cause: error,
      });
    default:
      return new ChannelApiError(channel, `${prefix} Slack call failed: ${errorMessage(error)}`, {
        retryable: true,
        cause: error,
      });
  }
}

/** True for Slack's refusal of a message's markup, after which the same text goes again as plain text. */
export function isSlackMarkupRejected(error: unknown): boolean {
  const shape = ChannelApiError.isInstance(error) ? (error.cause as SlackErrorShape | undefined) : (error as SlackErrorShape);
  const code = shape?.data?.error;
  return code === 'invalid_blocks' || code === 'invalid_blocks_format';
}
