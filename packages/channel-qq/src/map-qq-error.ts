import { ChannelApiError, errorMessage } from '@ngb/plugin-sdk';

const prefix = '[@ngb/channel-qq]';

/** An action's answer as OneBot v11 sends it (`msg` is go-cqhttp's spelling of `message`). */
export interface OneBotResponse {
  status?: unknown;
  retcode?: unknown;
  data?: unknown;
  message?: unknown;
  msg?: unknown;
  wording?: unknown;
  echo?: unknown;
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * The one place that reads OneBot's failures. Answers arrive as `status: failed` with a `retcode`:
 * 1400 bad request, 1401 / 1403 the token or the account's permission, 1404 an unknown action or
 * message, other 1xxx (NapCat's 1200 "send failed", go-cqhttp's 100 / 102) failures of QQ itself, which
 * may pass; the `wording` (or `message`) says why in words. Anything else thrown (network, socket) is
 * retryable.
 * @param error an answer with a failed status, or whatever a socket call threw
 * @param action the action that failed, named in the message
 */
export function mapQQError(error: unknown, action: string): ChannelApiError {
  if (ChannelApiError.isInstance(error)) return error;
  if (typeof error === 'object' && error !== null && ('retcode' in error || 'status' in error) && !(error instanceof Error)) {
    const response = error as OneBotResponse;
    const retcode = typeof response.retcode === 'number' ? response.retcode : Number(response.retcode);
    const why = text(response.wording) ?? text(response.message) ?? text(response.msg) ?? 'no reason given';
    const described = `${prefix} ${action} failed: ${why} (retcode ${Number.isFinite(retcode) ? retcode : 'none'})`;
    if (retcode === 1400 || retcode === 10003)
      return new ChannelApiError('qq', described, { status: 400, retryable: false, cause: error });
    if (retcode === 1401)
      return new ChannelApiError(
        'qq',
        `${described}: set QQ_ONEBOT_ACCESS_TOKEN to the access token of the OneBot implementation`,
        { status: 401, retryable: false, cause: error },
      );
    if (retcode === 1403)
      return new ChannelApiError('qq', `${described}: the QQ account may not do this (muted, not a member, not an admin)`, {
        status: 403,
        retryable: false,
        cause: error,
      });
    if (retcode === 1404) return new ChannelApiError('qq', described, { status: 404, retryable: false, cause: error });
    if (retcode === 1429 || /rate|频率|频繁/i.test(why))
      return new ChannelApiError('qq', described, { status: 429, retryable: true, retryAfterMs: 5_000, cause: error });
    // 1200 and the other codes: QQ itself failed to do it (a network hiccup, a risk-control pause).
    return new ChannelApiError('qq', described, { status: 502, retryable: true, cause: error });
  }
  return new ChannelApiError('qq', `${prefix} ${action}: ${errorMessage(error)}`, { retryable: true, cause: error });
}
