import { type Logger, readRequestBody } from '@ngb/plugin-sdk';
import { decryptFeishuPayload, sameSecret, verifyFeishuSignature } from './feishu-crypto';
import type { FeishuInbound } from './feishu-inbound';

/** Options of {@link createFeishuWebhookHandler}. */
export interface FeishuWebhookOptions {
  verificationToken: string;
  encryptKey: string | undefined;
  maxBodyBytes: number;
  /** True between `start` and `stop`. */
  running(): boolean;
  inbound: FeishuInbound;
  logger(): Logger;
}

const answer = (status: number, body?: unknown) =>
  body === undefined
    ? new Response(null, { status })
    : new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The event request URL (`/channels/feishu/webhook`). In order: the body is read up to the size cap
 * (413); with an encrypt key, a request carrying `X-Lark-Signature` must match
 * sha256(timestamp + nonce + encryptKey + body) (401), and `{ encrypt }` bodies are decrypted (401 when
 * they cannot be); the verification token of the payload (`header.token`, or `token` of a
 * `url_verification`) must match, compared in constant time (401). A `url_verification` is answered
 * with its challenge; an event (which must be signed when an encrypt key is set) is answered 200 only
 * after `receive` resolved, 500 when it threw so Feishu redelivers. A redelivery carries the same
 * `message_id`, so it is stored once.
 */
export function createFeishuWebhookHandler(options: FeishuWebhookOptions): (request: Request) => Promise<Response> {
  const refuse = (why: string) => {
    options.logger().warn(`feishu webhook refused: ${why}`);
    return answer(401, { error: 'refused' });
  };
  return async (request) => {
    if (!options.running()) return answer(503, { error: 'the Feishu channel is not running' });
    if (request.method !== 'POST') return answer(405);
    const rawBody = (await readRequestBody(request, options.maxBodyBytes))?.toString('utf8');
    if (rawBody === undefined) return answer(413);
    const signature = request.headers.get('x-lark-signature');
    let signed = false;
    if (options.encryptKey !== undefined && signature !== null) {
      const headers = {
        timestamp: request.headers.get('x-lark-request-timestamp') ?? '',
        nonce: request.headers.get('x-lark-request-nonce') ?? '',
        signature,
      };
      if (!verifyFeishuSignature(options.encryptKey, headers, rawBody)) return refuse('bad signature');
      signed = true;
    }
    let body = parseObject(rawBody);
    if (!body) return answer(400, { error: 'the body is not a JSON object' });
    if (typeof body.encrypt === 'string') {
      if (options.encryptKey === undefined)
        return refuse('an encrypted body, but no encrypt key is set (set FEISHU_ENCRYPT_KEY)');
      const plain = decryptFeishuPayload(options.encryptKey, body.encrypt);
      const decrypted = plain === undefined ? undefined : parseObject(plain);
      if (!decrypted) return refuse('the body cannot be decrypted with the encrypt key');
      body = decrypted;
    } else if (options.encryptKey !== undefined && body.type !== 'url_verification') {
      return refuse('a plain body, but an encrypt key is set: events must be encrypted');
    }
    const header = (typeof body.header === 'object' && body.header !== null ? body.header : {}) as Record<string, unknown>;
    const token = typeof header.token === 'string' ? header.token : typeof body.token === 'string' ? body.token : '';
    if (!sameSecret(token, options.verificationToken)) return refuse('wrong verification token');
    if (body.type === 'url_verification') return answer(200, { challenge: String(body.challenge ?? '') });
    if (options.encryptKey !== undefined && !signed) return refuse('an event without X-Lark-Signature');
    const eventType = typeof header.event_type === 'string' ? header.event_type : '';
    try {
      await options.inbound.handleEvent(eventType, body.event);
    } catch (error) {
      options.logger().warn('feishu event not stored; answering 500 so Feishu redelivers', {
        error: error instanceof Error ? error.message : String(error),
      });
      return answer(500);
    }
    return answer(200, {});
  };
}
