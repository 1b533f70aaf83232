import { createHmac, timingSafeEqual } from 'node:crypto';
import { errorMessage, type InboundMessage, type Logger, readRequestBody } from '@ngb/plugin-sdk';
import { type CloudChangeValue, normalizeWhatsAppCloudMessage } from './normalize-whatsapp-cloud-message';

/** Options of {@link createWhatsAppCloudWebhook}. */
export interface WhatsAppCloudWebhookOptions {
  appSecret: string;
  verifyToken: string;
  maxBodyBytes: number;
  /** The started channel's `receive` and the business number, or `undefined` before `start` and after `stop`. */
  running():
    | { receive(message: InboundMessage): Promise<unknown>; bot: { numbers: ReadonlySet<string>; selfId: string } }
    | undefined;
  logger(): Logger;
}

const answer = (status: number, body?: string) =>
  new Response(body ?? null, { status, headers: body === undefined ? {} : { 'content-type': 'text/plain; charset=utf-8' } });

/** Constant-time equality of two strings (their lengths may differ). */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  // Compared at equal length, so the time does not tell how much of the secret matched.
  return timingSafeEqual(a.length === b.length ? a : b, b) && a.length === b.length;
}

/** True when `header` is `sha256=<hex HMAC-SHA256 of the raw body with the app secret>`. */
function signedByMeta(appSecret: string, rawBody: Buffer, header: string): boolean {
  return sameSecret(header, `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`);
}

/**
 * The Cloud API webhook (`/channels/whatsapp/webhook`).
 * - GET, Meta's subscription handshake: echoes `hub.challenge` when `hub.mode` is `subscribe` and
 *   `hub.verify_token` equals the verify token (constant time); 403 otherwise.
 * - POST: reads at most `maxBodyBytes` (413 past it), checks `X-Hub-Signature-256` over the raw body
 *   before parsing (401 when missing or wrong, nothing stored), then hands every message of every
 *   `messages` change to `receive` and answers 200 only once all resolved (500 when one threw, so Meta
 *   redelivers; the `wamid` ids are stable, so a redelivery stores nothing twice). Statuses are ignored.
 */
export function createWhatsAppCloudWebhook(options: WhatsAppCloudWebhookOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    const running = options.running();
    if (running === undefined) return answer(503, 'the WhatsApp channel is not running');
    if (request.method === 'GET') {
      const query = new URL(request.url).searchParams;
      const token = query.get('hub.verify_token') ?? '';
      if (query.get('hub.mode') !== 'subscribe' || !sameSecret(token, options.verifyToken)) {
        options.logger().warn('whatsapp webhook verification refused: wrong mode or verify token');
        return answer(403);
      }
      return answer(200, query.get('hub.challenge') ?? '');
    }
    if (request.method !== 'POST') return answer(405);
    const rawBody = await readRequestBody(request, options.maxBodyBytes);
    if (rawBody === undefined) return answer(413);
    const signature = request.headers.get('x-hub-signature-256') ?? '';
    if (signature === '' || !signedByMeta(options.appSecret, rawBody, signature)) {
      options.logger().warn('whatsapp webhook refused: missing or bad X-Hub-Signature-256');
      return answer(401);
    }
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return answer(400, 'the body is not JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return answer(400, 'the body is not an object');
    const payload = body as { object?: unknown; entry?: unknown };
    if (payload.object !== 'whatsapp_business_account' || !Array.isArray(payload.entry)) return answer(200);
    const inbound: InboundMessage[] = [];
    for (const entry of payload.entry as Array<{ changes?: unknown }>) {
      if (!Array.isArray(entry?.changes)) continue;
      for (const change of entry.changes as Array<{ field?: unknown; value?: CloudChangeValue }>) {
        if (change?.field !== 'messages' || typeof change.value !== 'object' || change.value === null) continue;
        const value = change.value;
        for (const message of Array.isArray(value.messages) ? value.messages : []) {
          const normalized = normalizeWhatsAppCloudMessage(value, message, running.bot);
          if (normalized) inbound.push(normalized);
        }
      }
    }
    try {
      for (const message of inbound) await running.receive(message);
    } catch (error) {
      options.logger().warn('whatsapp message not stored; answering 500 so WhatsApp redelivers', { error: errorMessage(error) });
      return answer(500);
    }
    return answer(200);
  };
}
