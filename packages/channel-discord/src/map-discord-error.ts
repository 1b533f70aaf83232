import { ChannelApiError, errorMessage } from '@ngb/plugin-sdk';
import { DiscordAPIError, HTTPError, RateLimitError } from './discord-rest';

const channel = 'discord';
const prefix = '[@ngb/channel-discord]';

/** What the failed call needed, to name it when Discord answers 403. */
export interface DiscordCallNeeds {
  /** The permission the call needs (`SendMessages`, `AttachFiles`, ...). */
  permission?: string;
}

// Discord's JSON error codes that mean a permission is missing.
const missingAccess = 50001;
const missingPermissions = 50013;

/**
 * The one place that reads Discord's failures: `@discordjs/rest`'s `DiscordAPIError` (4xx with Discord's JSON
 * code), `HTTPError` (5xx), `RateLimitError` (429, thrown because the REST client is told to reject
 * rather than wait), token errors, gateway refusals, and network errors.
 * @param error what a REST or gateway call threw
 * @param needs what the call needed, named in a 403's message
 * @returns a ChannelApiError: 429 and 5xx and network errors retryable (429 with `retryAfterMs`);
 *   401 "token rejected", 403 "missing permission <name>" and other 4xx not retryable
 */
export function mapDiscordError(error: unknown, needs: DiscordCallNeeds = {}): ChannelApiError {
  if (ChannelApiError.isInstance(error)) return error;
  if (error instanceof RateLimitError) {
    const retryAfterMs = Math.max(error.retryAfter, error.sublimitTimeout, 0) || Math.max(error.timeToReset, 0);
    return new ChannelApiError(channel, `${prefix} rate limited on ${error.route}; retry after ${retryAfterMs} ms`, {
      status: 429,
      retryable: true,
      retryAfterMs,
      cause: error,
    });
  }
  if (error instanceof DiscordAPIError) {
    const status = error.status;
    if (status === 401) return tokenRejected(error);
    if (status === 403 || error.code === missingAccess || error.code === missingPermissions) {
      const permission = error.code === missingAccess ? 'ViewChannel' : (needs.permission ?? 'the permission this call needs');
      return new ChannelApiError(channel, `${prefix} missing permission ${permission}: ${error.message} (code ${error.code})`, {
        status: 403,
        retryable: false,
        cause: error,
      });
    }
    return new ChannelApiError(
      channel,
      `${prefix} Discord refused ${error.method} ${error.url}: ${error.message} (code ${error.code})`,
      {
        status,
        retryable: status === 408 || status === 409 || status >= 500,
        cause: error,
      },
    );
  }
  if (error instanceof HTTPError) {
    return new ChannelApiError(channel, `${prefix} Discord answered ${error.status} ${error.message}`, {
      status: error.status,
      retryable: true,
      cause: error,
    });
  }
  const message = errorMessage(error);
  // The REST client forgets a token Discord refused once; later calls fail before reaching Discord.
  if (/Authentication failed|Expected token to be set/i.test(message)) return tokenRejected(error);
  if (/disallowed intents/i.test(message)) {
    return new ChannelApiError(
      channel,
      `${prefix} missing permission: the Message Content intent is not enabled for this bot (Developer Portal → Bot → Privileged Gateway Intents)`,
      { status: 403, retryable: false, cause: error },
    );
  }
  return new ChannelApiError(channel, `${prefix} ${message}`, { retryable: true, cause: error });
}

function tokenRejected(error: unknown): ChannelApiError {
  return new ChannelApiError(
    channel,
    `${prefix} token rejected: check DISCORD_BOT_TOKEN (Developer Portal → Bot → Reset Token)`,
    {
      status: 401,
      retryable: false,
      cause: error,
    },
  );
}

/** True for Discord's refusal of converted content (Invalid Form Body on `content`), answered by a plain resend. */
export function isDiscordMarkupRejected(error: unknown): boolean {
  const cause = ChannelApiError.isInstance(error) ? error.cause : error;
  return cause instanceof DiscordAPIError && cause.code === 50035 && /content/.test(cause.message);
}

/** True for Discord's "Unknown Message" (10008). */
export function isDiscordUnknownMessage(error: unknown): boolean {
  const cause = ChannelApiError.isInstance(error) ? error.cause : error;
  return cause instanceof DiscordAPIError && cause.code === 10008;
}
