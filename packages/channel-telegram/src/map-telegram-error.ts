import { ChannelApiError, errorMessage } from '@ngb/plugin-sdk';

/** What the Bot API answers when a call fails. */
interface TelegramFailure {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

function failureOf(error: unknown): TelegramFailure | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const response = (error as { response?: unknown }).response;
  if (typeof response !== 'object' || response === null) return undefined;
  const { error_code: code, description } = response as Partial<TelegramFailure>;
  if (typeof code !== 'number') return undefined;
  return { ...(response as TelegramFailure), description: typeof description === 'string' ? description : '' };
}

/** Removes a bot token from a text (network errors name the URL, which holds it). */
function redact(text: string): string {
  return text.replace(/bot\d{1,20}:[A-Za-z0-9_-]+/g, 'bot<token>');
}

/**
 * The one place that reads Telegram's failures (`{ok:false,error_code,description,parameters}`, HTTP
 * 5xx, network errors): 429 is retryable after `parameters.retry_after`; 5xx, 409 and network errors are
 * retryable; 401 is a rejected token and 403 a missing permission, neither retryable; other 4xx are not.
 * @param method the Bot API method that failed, for the message
 */
export function mapTelegramError(error: unknown, method = 'call'): ChannelApiError {
  if (ChannelApiError.isInstance(error)) return error;
  const prefix = `[@ngb/channel-telegram] ${method}`;
  const failure = failureOf(error);
  if (!failure) {
    const aborted = typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
    return new ChannelApiError(
      'telegram',
      `${prefix}: ${aborted ? 'aborted' : `network error: ${redact(errorMessage(error))}`}`,
      {
        retryable: true,
      },
    );
  }
  const status = failure.error_code;
  const retryAfter = failure.parameters?.retry_after;
  const retryAfterMs = typeof retryAfter === 'number' && retryAfter >= 0 ? retryAfter * 1000 : undefined;
  const said = `${status} ${redact(failure.description)}`;
  let message = `${prefix}: ${said}`;
  if (status === 401) message = `${prefix}: token rejected (${said}); check TELEGRAM_BOT_TOKEN`;
  else if (status === 403) message = `${prefix}: missing permission (${said})`;
  else if (status === 409) message = `${prefix}: ${said} (another process polls with this token, or a webhook is set)`;
  else if (failure.parameters?.migrate_to_chat_id !== undefined)
    message = `${prefix}: ${said}; the group is now chat ${failure.parameters.migrate_to_chat_id}`;
  return new ChannelApiError('telegram', message, {
    status,
    retryable: status === 429 || status === 409 || status >= 500,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    cause: error,
  });
}

/** True when Telegram refused a message's markup (or its length after markup), so plain text may pass. */
export function isTelegramMarkupRejection(error: unknown): boolean {
  return (
    ChannelApiError.isInstance(error) &&
    error.status === 400 &&
    /can't parse entities|message is too long|text must be non-empty/i.test(error.message)
  );
}
