import { ChannelApiError, errorMessage } from '@ngb/plugin-sdk';

const channel = 'wecom';
const prefix = '[@ngb/channel-wecom]';

/** The errcodes that mean the access token is invalid or expired: fetch a new one and try once more. */
export const tokenErrcodes: ReadonlySet<number> = new Set([40001, 40014, 42001]);

/** An answer of WeCom with a non-zero `errcode` (WeCom answers HTTP 200 with the error in the body). */
export class WeComErrcode extends Error {
  readonly errcode: number;
  readonly errmsg: string;
  constructor(errcode: number, errmsg: string) {
    super(`${prefix} WeCom answered errcode ${errcode}: ${errmsg}`);
    this.errcode = errcode;
    this.errmsg = errmsg;
  }
}

/** An HTTP status other than 200 from WeCom (a proxy in front, or an outage). */
export class WeComHttpStatus extends Error {
  readonly status: number;
  readonly retryAfterMs: number | undefined;
  constructor(status: number, retryAfterMs?: number) {
    super(`${prefix} WeCom answered HTTP ${status}`);
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

function fromErrcode(error: WeComErrcode): ChannelApiError {
  const { errcode, errmsg } = error;
  const what = `errcode ${errcode}: ${errmsg}`;
  switch (errcode) {
    case 45009:
    case 45033:
    case 45011:
      return new ChannelApiError(channel, `${prefix} rate limited by WeCom (${what})`, {
        status: 429,
        retryAfterMs: 60_000,
        cause: error,
      });
    case -1:
      return new ChannelApiError(channel, `${prefix} WeCom is busy (${what})`, { status: 503, cause: error });
    case 40001:
    case 40013:
    case 40014:
    case 42001:
    case 40091:
      return new ChannelApiError(
        channel,
        `${prefix} WeCom refused the credentials (${what}): check corpId and WECOM_SECRET (the application's Secret)`,
        { status: 401, cause: error },
      );
    case 93000:
      return new ChannelApiError(
        channel,
        `${prefix} WeCom refused the robot webhook (${what}): check WECOM_ROBOT_KEY (the key= of the robot's webhook URL)`,
        { status: 401, cause: error },
      );
    case 60020:
      return new ChannelApiError(
        channel,
        `${prefix} WeCom refused this server's IP address (${what}): add it to the application's trusted IPs (Application → Enterprise trusted IP)`,
        { status: 403, retryable: false, cause: error },
      );
    case 81013:
    case 60011:
    case 301002:
      return new ChannelApiError(
        channel,
        `${prefix} the application may not reach this user or chat (${what}): widen the application's visible range`,
        { status: 403, cause: error },
      );
    case 45002:
      return new ChannelApiError(channel, `${prefix} message too long for WeCom (${what})`, { status: 413, cause: error });
    case 40007:
      return new ChannelApiError(channel, `${prefix} WeCom no longer has this file (${what})`, { status: 404, cause: error });
    default:
      return new ChannelApiError(channel, `${prefix} WeCom refused the call (${what})`, { status: 400, cause: error });
  }
}

/**
 * Turns any failure of a WeCom call into one `ChannelApiError`. WeCom answers HTTP 200 with an
 * `errcode`: 45009/45033 (frequency limits) are retryable 429s, -1 (system busy) a retryable 503;
 * refused credentials are 401 and 60020 (IP not trusted) and permission codes 403, none retried;
 * every other errcode is a 400 naming `errmsg`. HTTP 429 and 5xx and network failures are retryable.
 */
export function mapWeComError(error: unknown): ChannelApiError {
  if (ChannelApiError.isInstance(error)) return error;
  if (error instanceof WeComErrcode) return fromErrcode(error);
  if (error instanceof WeComHttpStatus) {
    return new ChannelApiError(channel, error.message, { status: error.status, retryAfterMs: error.retryAfterMs, cause: error });
  }
  return new ChannelApiError(channel, `${prefix} WeCom could not be reached: ${errorMessage(error)}`, {
    retryable: true,
    cause: error,
  });
}
