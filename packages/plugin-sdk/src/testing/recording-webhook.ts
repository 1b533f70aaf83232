import { createHash, timingSafeEqual } from 'node:crypto';
import type { ChannelContext, InboundMessage } from '../contracts/channel';
import { fromWebhookFiles, type RecordingInboundFile, toWebhookFiles } from './recording-files';

/** The header that carries the recording channel's webhook secret (like Telegram's secret token). */
export const recordingWebhookSecretHeader = 'x-fake-secret';

/**
 * What a test posts to the recording channel: an inbound message, defaults filled in, and the files a
 * person attached to it (they become its `attachments`, downloadable with `fetchAttachment` when the
 * channel has the `files` capability).
 */
export type RecordingInboundPayload = Partial<InboundMessage> & { text: string; files?: RecordingInboundFile[] };

/**
 * Builds the request a platform would post to the recording channel's webhook.
 * @param secret the shared secret to sign with; leave it out for an unsigned request
 */
export function createRecordingWebhookRequest(payload: RecordingInboundPayload, secret?: string): Request {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (secret !== undefined) headers.set(recordingWebhookSecretHeader, secret);
  const { files, ...message } = payload;
  const body = JSON.stringify(files === undefined ? message : { ...message, files: toWebhookFiles(files) });
  return new Request('http://gateway.invalid/channels/fake/webhook', { method: 'POST', headers, body });
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function toPayload(value: unknown): RecordingInboundPayload | undefined {
  if (typeof value !== 'object' || value === null || typeof (value as { text?: unknown }).text !== 'string') return undefined;
  const { files, ...message } = value as RecordingInboundPayload & { files?: unknown };
  if (files === undefined) return message;
  const decoded = fromWebhookFiles(files);
  return decoded === undefined ? undefined : { ...message, files: decoded };
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
  let body: unknown;
  try {
    body = JSON.parse(await request.text());
  } catch {
    return new Response('body is not JSON', { status: 400 });
  }
  const payload = toPayload(body);
  if (payload === undefined) return new Response('body has no text, or files that are not files', { status: 400 });
  try {
    await context.receive(normalize(payload));
  } catch (error) {
    return new Response(`not stored: ${error instanceof Error ? error.message : String(error)}`, { status: 500 });
  }
  return new Response('ok', { status: 200 });
}
