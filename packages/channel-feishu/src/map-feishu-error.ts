import { ChannelApiError, errorMessage } from '@ngb/plugin-sdk';

const channel = 'feishu';
const prefix = '[@ngb/channel-feishu]';

/** Feishu's `code`s that mean the tenant access token is not (or no longer) valid: fetch a new one. */
export const feishuTokenCodes = new Set([99991661, 99991663, 99991668]);
/** Feishu's `code`s that mean the app's credentials are refused (514: at the long connection's endpoint lookup). */
const credentialCodes = new Set([10003, 10014, 99991543, 514]);
/** Feishu's `code`s of a permission the app lacks. */
const permissionCodes = new Set([99991672, 99991679, 230027, 230006]);
/** Feishu's `code`s that mean the message is gone. */
const goneCodes = new Set([230011, 231003, 234003]);
/**
 * Feishu's `code`s of a passing failure on its side (1 system busy, 1000040343 internal error and
 * 1000040350 too many connections: the long connection's endpoint lookup).
 */
const transientCodes = new Set([1000004, 1000005, 230020, 230099, 1, 1000040343, 1000040350]);

/** A Feishu answer with a non-zero `code` (HTTP 200 or not). */
export class FeishuResponseError extends Error {
  constructor(
    readonly code: number,
    readonly feishuMessage: string,
    readonly httpStatus?: number,
    readonly retryAfterSeconds?: number,
    /** The missing permission scopes Feishu named, when it did. */
    readonly scopes: string[] = [],
  ) {
    super(`Feishu answered code ${code}: ${feishuMessage}`);
  }
}

/** The parts of an axios error read here (matched by shape, so axios need not be loaded). */
interface AxiosErrorShape {
  isAxiosError?: unknown;
  code?: unknown;
  response?: { status?: unknown; data?: unknown; headers?: Record<string, unknown> };
}

/** The Feishu error of an axios error that carries Feishu's JSON answer, or undefined. */
export function feishuErrorOf(error: unknown): FeishuResponseError | undefined {
  if (error instanceof FeishuResponseError) return error;
  // The SDK's token request answers a refusal with a plain Error naming Feishu's code.
  const token =
    error instanceof Error ? /^failed to get (?:tenant|app)_access_token, code: (\d+), msg: (.*)$/s.exec(error.message) : null;
  if (token?.[1]) return new FeishuResponseError(Number(token[1]), token[2] ?? '');
  // The long connection's endpoint lookup: the SDK's WSClient reports Feishu's code in its error.
  const lookup = error instanceof Error ? /^pullConnectConfig failed: code=(\d+), msg=(.*)$/s.exec(error.message) : null;
  if (lookup?.[1]) return new FeishuResponseError(Number(lookup[1]), lookup[2] ?? '');
  const shape = (typeof error === 'object' && error !== null ? error : {}) as AxiosErrorShape;
  const data = shape.response?.data as { code?: unknown; msg?: unknown; error?: { permission_violations?: unknown } } | undefined;
  if (typeof data?.code !== 'number') return undefined;
  const status = typeof shape.response?.status === 'number' ? shape.response.status : undefined;
  const retryAfter = Number(shape.response?.headers?.['x-ogw-ratelimit-reset'] ?? shape.response?.headers?.['retry-after']);
  return new FeishuResponseError(
    data.code,
    typeof data.msg === 'string' ? data.msg : '',
    status,
    Number.isFinite(retryAfter) ? retryAfter : undefined,
    scopesOf(data.error?.permission_violations),
  );
}

/** The scopes named by Feishu's `permission_violations` (`[{ type, subject }]`). */
export function scopesOf(violations: unknown): string[] {
  if (!Array.isArray(violations)) return [];
  return violations
    .map((violation) => (violation as { subject?: unknown })?.subject)
    .filter((subject): subject is string => typeof subject === 'string');
}

function fromCode(error: FeishuResponseError, cause: unknown): ChannelApiError {
  const { code } = error;
  const what = `${code}${error.feishuMessage ? ` ${error.feishuMessage}` : ''}`;
  if (code === 99991400 || error.httpStatus === 429) {
    return new ChannelApiError(channel, `${prefix} rate limited by Feishu (${what})`, {
      status: 429,
      retryAfterMs: Math.round((error.retryAfterSeconds ?? 1) * 1000),
      cause,
    });
  }
  if (feishuTokenCodes.has(code) || credentialCodes.has(code)) {
    return new ChannelApiError(
      channel,
      `${prefix} Feishu refused the app's credentials (${what}): check appId and FEISHU_APP_SECRET`,
      { status: 401, cause },
    );
  }
  if (permissionCodes.has(code) || error.scopes.length > 0) {
    const scopes = error.scopes.length > 0 ? error.scopes.join(', ') : 'see the message';
    return new ChannelApiError(
      channel,
      `${prefix} missing permission (${what}; scopes: ${scopes}): add it to the app in the developer console and publish a new version`,
      { status: 403, cause },
    );
  }
  if (code === 403) {
    return new ChannelApiError(
      channel,
      `${prefix} Feishu refused the long connection (${what}): it needs a self-built app with "Receive events through persistent connection" chosen under Events & Callbacks, or use "mode": "webhook"`,
      { status: 403, cause },
    );
  }
  if (code === 230002) {
    return new ChannelApiError(channel, `${prefix} the bot is not in this chat (${what}): add the bot to the group`, {
      status: 403,
      cause,
    });
  }
  if (goneCodes.has(code)) return new ChannelApiError(channel, `${prefix} not found on Feishu (${what})`, { status: 404, cause });
  if (transientCodes.has(code) || (error.httpStatus ?? 0) >= 500) {
    return new ChannelApiError(channel, `${prefix} Feishu failed (${what})`, { status: 503, cause });
  }
  if (code === 230025 || code === 234006) {
    return new ChannelApiError(channel, `${prefix} too large for Feishu (${what})`, { status: 413, cause });
  }
  return new ChannelApiError(channel, `${prefix} Feishu refused the call (${what})`, { status: 400, cause });
}

/**
 * Turns any failure of a Feishu call into one `ChannelApiError`: code 99991400 or HTTP 429 is
 * retryable with `retryAfterMs`; 5xx, Feishu's transient codes and network failures are retryable;
 * refused credentials or token (99991661/99991663/99991668, 10014) are 401; a missing permission is 403
 * naming the scope, and 230002 (bot not in the chat) 403; everything else is a 4xx that is not retried.
 */
export function mapFeishuError(error: unknown): ChannelApiError {
  if (ChannelApiError.isInstance(error)) return error;
  const feishu = feishuErrorOf(error);
  if (feishu) return fromCode(feishu, error);
  const shape = (typeof error === 'object' && error !== null ? error : {}) as AxiosErrorShape;
  const status = typeof shape.response?.status === 'number' ? shape.response.status : undefined;
  if (status !== undefined) {
    const retryAfter = Number(shape.response?.headers?.['retry-after']);
    return new ChannelApiError(channel, `${prefix} Feishu answered HTTP ${status}`, {
      status,
      ...(status === 429 ? { retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : 1000 } : {}),
      cause: error,
    });
  }
  return new ChannelApiError(channel, `${prefix} Feishu could not be reached: ${errorMessage(error)}`, {
    retryable: true,
    cause: error,
  });
}

/** True for Feishu's refusal of a post's content, after which the same text goes again as plain text. */
export function isFeishuMarkupRejected(error: unknown): boolean {
  const feishu = feishuErrorOf(ChannelApiError.isInstance(error) ? error.cause : error);
  return feishu?.code === 230001 && /content/i.test(feishu.feishuMessage);
}
