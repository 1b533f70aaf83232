import { TelegramError } from 'telegraf';
import { describe, expect, it } from 'vitest';
import { isTelegramMarkupRejection, mapTelegramError } from './map-telegram-error';

const telegramError = (error_code: number, description: string, parameters?: Record<string, number>) =>
  new TelegramError({ error_code, description, ...(parameters ? { parameters } : {}) });

describe('mapTelegramError', () => {
  it.each([
    [
      telegramError(429, 'Too Many Requests: retry after 12', { retry_after: 12 }),
      { status: 429, retryable: true, retryAfterMs: 12_000 },
    ],
    [telegramError(500, 'Internal Server Error'), { status: 500, retryable: true, retryAfterMs: undefined }],
    [telegramError(409, 'Conflict: terminated by other getUpdates request'), { status: 409, retryable: true }],
    [telegramError(401, 'Unauthorized'), { status: 401, retryable: false }],
    [telegramError(403, 'Forbidden: bot was blocked by the user'), { status: 403, retryable: false }],
    [telegramError(400, 'Bad Request: chat not found'), { status: 400, retryable: false }],
  ])('maps %s', (error, expected) => {
    expect(mapTelegramError(error, 'sendMessage')).toMatchObject({ channel: 'telegram', ...expected });
  });

  it('says what to fix for 401 and 403', () => {
    expect(mapTelegramError(telegramError(401, 'Unauthorized'), 'getMe').message).toBe(
      '[@ngb/channel-telegram] getMe: token rejected (401 Unauthorized); check TELEGRAM_BOT_TOKEN',
    );
    expect(mapTelegramError(telegramError(403, 'Forbidden: not enough rights'), 'sendMessage').message).toBe(
      '[@ngb/channel-telegram] sendMessage: missing permission (403 Forbidden: not enough rights)',
    );
  });

  it('treats network errors as retryable and never shows the token', () => {
    const error = new Error(
      'request to http://127.0.0.1:9/bot123456:AAE-secret_token/getMe failed, reason: connect ECONNREFUSED',
    );
    const mapped = mapTelegramError(error, 'getMe');
    expect(mapped).toMatchObject({ status: undefined, retryable: true });
    expect(mapped.message).not.toContain('AAE-secret_token');
    expect(mapped.message).toContain('bot<token>');
    expect(mapped.cause).toBeUndefined();
  });

  it('tells a markup rejection from other client errors', () => {
    expect(isTelegramMarkupRejection(mapTelegramError(telegramError(400, "Bad Request: can't parse entities: x")))).toBe(true);
    expect(isTelegramMarkupRejection(mapTelegramError(telegramError(400, 'Bad Request: chat not found')))).toBe(false);
    expect(isTelegramMarkupRejection(new Error("can't parse entities"))).toBe(false);
  });
});
