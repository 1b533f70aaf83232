import { createHash, timingSafeEqual } from 'node:crypto';
import { errorMessage, type Logger, readRequestBody } from '@ngb/plugin-sdk';

/** The largest update body read; Telegram's are a few kilobytes. */
const maxBodyBytes = 1024 * 1024;

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Compares in constant time (digests, so the length of the secret does not show either). */
function sameSecret(given: string | null, expected: string): boolean {
  return given !== null && timingSafeEqual(digest(given), digest(expected));
}

const answer = (status: number, body?: Record<string, unknown>) =>
  new Response(
    body === undefined ? null : JSON.stringify(body),
    body === undefined ? { status } : { status, headers: { 'content-type': 'application/json' } },
  );

/** What one webhook request needs from the channel. */
export interface TelegramWebhookOptions {
  /** The secret `setWebhook` was given. */
  secret: string;
  /** False before `start` resolved and after `stop`. */
  running(): boolean;
  /** Hands the update to the core; throws when it could not be stored. */
  deliver(update: Record<string, unknown>): Promise<void>;
  logger(): Logger;
}

/**
 * Answers one webhook request of Telegram: 403 without the right `X-Telegram-Bot-Api-Secret-Token`,
 * 400 for a body that is not an update, 503 when not running, 500 when the core could not store it
 * (Telegram delivers it again), 200 once it was stored.
 */
export async function handleTelegramWebhook(request: Request, options: TelegramWebhookOptions): Promise<Response> {
  if (!options.running()) return answer(503, { error: 'the Telegram channel is not running' });
  if (request.method !== 'POST') return answer(405, { error: 'Telegram posts updates' });
  if (!sameSecret(request.headers.get('x-telegram-bot-api-secret-token'), options.secret))
    return answer(403, { error: 'wrong or missing secret token' });
  const body = (await readRequestBody(request, maxBodyBytes))?.toString('utf8');
  if (body === undefined) return answer(413, { error: `an update is at most ${maxBodyBytes} bytes` });
  let update: unknown;
  try {
    update = JSON.parse(body);
  } catch {
    return answer(400, { error: 'the body is not JSON' });
  }
  if (typeof update !== 'object' || update === null || typeof (update as { update_id?: unknown }).update_id !== 'number')
    return answer(400, { error: 'the body is not a Telegram update' });
  try {
    await options.deliver(update as Record<string, unknown>);
  } catch (error) {
    options.logger().error('telegram webhook update not stored', { error: errorMessage(error) });
    return answer(500, { error: 'the update could not be stored; Telegram will deliver it again' });
  }
  return answer(200);
}
