import { createHash, timingSafeEqual } from 'node:crypto';
import type { ChannelContext, InboundMessage } from '../contracts/channel';

/** The header that carries the recording channel's webhook secret (like Telegram's secret token). */
export const recordingWebhookSecretHeader = 'x-fake-secret';

/** What a test posts to the recording channel's webhook: an inbound message, defaults filled in. */
export type RecordingInboundPayload = Partial<InboundMessage> & { text: string };

/**
 * Builds the request a platform would post to the recording channel's webhook.
 * @param secret the shared secret to sign with; leave it out for an unsigned request
 */
export function createRecordingWebhookRequest(payload: RecordingInboundPayload, secret?: string): Request {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (secret !== undefined) headers.set(recordingWebhookSecretHeader, secret);
  return new Request('http://gateway.invalid/channels/fake/webhook', { method: 'POST', headers, body: JSON.stringify(payload) });
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function isPayload(value: unknown): value is RecordingInboundPayload {
  return typeof value === 'object' && value !== null && typeof (value as { text?: unknown }).text === 'string';
}

/**
 * Answers one webhook request the way the contract asks: 4xx before `receive` for a bad secret or
 * body, 2xx only after `receive` resolved, 5xx when it threw, 503 when the channel is not running.
 */
export async function answerRecordingWebhook(
  request: Request,
  secret: string,
  context: ChannelContext | undefined,
  normalize: (payload: RecordingInboundPayload) => InboundMessage,
): Promise<Response> {
  if (context === undefined) return new Response('not started', { status: 503 });
  if (request.method !== 'POST') return new Response('method not allowed', { status: 405 });
  // Compared as digests: equal lengths, and the time taken says nothing about the secret.
  const given = request.headers.get(recordingWebhookSecretHeader);
  if (given === null || !timingSafeEqual(digest(given), digest(secret))) return new Response('bad secret', { status: 401 });
  let payload: unknown;
  try {
    payload = JSON.parse(await request.text());
  } catch {
    return new Response('body is not JSON', { status: 400 });
  }
  if (!isPayload(payload)) return new Response('body has no text', { status: 400 });
  try {
    await context.receive(normalize(payload));
  } catch (error) {
    return new Response(`not stored: ${error instanceof Error ? error.message : String(error)}`, { status: 500 });
  }
  return new Response('ok', { status: 200 });
}
