import { ChannelApiError, errorMessage } from '@ngb/plugin-sdk';

const channel = 'dingtalk';
const prefix = '[@ngb/channel-dingtalk]';

/** What DingTalk answered to a call that failed: the HTTP status, the JSON body, `Retry-After`. */
export interface DingTalkFailure {
  /** What was asked, named in the message (`the robot send API`, `the endpoint lookup`). */
  call: string;
  status: number;
  /** The body: `{ code, message }` (OpenAPI v1.0) or `{ errcode, errmsg }` (session webhooks). */
  body?: unknown;
  /** `Retry-After` in seconds, when given. */
  retryAfter?: string | null;
}

// Session webhook error codes that mean "too fast".
const throttledCodes = new Set([130101, 130102, 660026]);

/** Old OpenAPI errcodes of a token that is invalid (40014) or expired (42001): fetch a new one. */
export const oapiTokenErrcodes: ReadonlySet<number> = new Set([40014, 42001]);
// Old OpenAPI errcodes of credentials refused: the AppKey or AppSecret (40089), or a token still
// refused after a new one was fetched.
const credentialErrcodes = new Set([40089, ...oapiTokenErrcodes]);

/**
 * The one place that reads DingTalk's failures: HTTP statuses, the OpenAPI's `code` (`Throttling.*`,
 * `InvalidAuthentication`, `Forbidden.*`), the `errcode` of session webhooks and of the old OpenAPI
 * (non-zero with HTTP 200: -1 busy, 40089 / 40014 / 42001 credentials or token, 88 permission), and
 * network errors.
 * @returns a ChannelApiError: 429 / `Throttling*` and 5xx and network errors retryable (with
 *   `retryAfterMs`); 401/403 / `InvalidAuthentication` not retryable, saying what to fix; other
 *   refusals not retryable with DingTalk's message
 */
export function mapDingTalkError(failure: DingTalkFailure | unknown): ChannelApiError {
  if (ChannelApiError.isInstance(failure)) return failure;
  if (!isFailure(failure)) {
    return new ChannelApiError(channel, `${prefix} DingTalk could not be reached: ${errorMessage(failure)}`, {
      retryable: true,
      cause: failure,
    });
  }
  const body = (typeof failure.body === 'object' && failure.body !== null ? failure.body : {}) as Record<string, unknown>;
  const code = typeof body.code === 'string' ? body.code : typeof body.errcode === 'number' ? String(body.errcode) : '';
  const said = String(body.message ?? body.errmsg ?? '') || `HTTP ${failure.status}`;
  const detail = `${failure.call}: ${said}${code ? ` (${code})` : ''}`;
  if (failure.status === 429 || code.startsWith('Throttling') || throttledCodes.has(Number(code))) {
    const seconds = Number(failure.retryAfter);
    const retryAfterMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1_000;
    return new ChannelApiError(channel, `${prefix} rate limited on ${detail}; retry after ${retryAfterMs} ms`, {
      status: 429,
      retryable: true,
      retryAfterMs,
    });
  }
  if (failure.status >= 500 || code === '-1')
    return new ChannelApiError(channel, `${prefix} DingTalk failed ${detail}`, {
      status: failure.status >= 500 ? failure.status : 503,
      retryable: true,
    });
  if (failure.status === 401 || code === 'InvalidAuthentication' || credentialErrcodes.has(Number(code))) {
    return new ChannelApiError(
      channel,
      `${prefix} credentials refused on ${detail}: check the clientId option and DINGTALK_CLIENT_SECRET (developer console → the app → Credentials)`,
      { status: 401, retryable: false },
    );
  }
  if (failure.status === 403 || code.startsWith('Forbidden') || code === '88') {
    return new ChannelApiError(
      channel,
      `${prefix} permission refused on ${detail}: grant the app the robot permissions (developer console → Permissions: qyapi_robot_sendmsg)`,
      { status: 403, retryable: false },
    );
  }
  return new ChannelApiError(channel, `${prefix} DingTalk refused ${detail}`, {
    status: Math.max(failure.status, 400),
    retryable: false,
  });
}

function isFailure(value: unknown): value is DingTalkFailure {
  return typeof value === 'object' && value !== null && 'call' in value && typeof (value as DingTalkFailure).status === 'number';
}
