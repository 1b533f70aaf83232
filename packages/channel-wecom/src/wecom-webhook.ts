import { type Clock, errorMessage, type InboundMessage, type Logger, readRequestBody } from '@ngb/plugin-sdk';
import { normalizeWeComMessage, parseWeComXml } from './normalize-wecom-message';
import { decryptWeComMessage, verifyWeComSignature, type WeComAesKey } from './wecom-crypto';

/** Options of {@link createWeComWebhookHandler}. */
export interface WeComWebhookOptions {
  channel: string;
  token: string;
  aes: WeComAesKey;
  corpId: string;
  clock: Clock;
  /** How far `timestamp` may be from now, in seconds. */
  windowSeconds: number;
  maxBodyBytes: number;
  /** True between `start` and `stop`. */
  running(): boolean;
  /** Hands a message to the core (with its sender's name looked up); resolves once it is stored. */
  receive(message: InboundMessage): Promise<void>;
  logger(): Logger;
}

const answer = (status: number, body = '') =>
  new Response(body === '' ? null : body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });

/**
 * The callback endpoint (`/channels/wecom/webhook`) of app mode.
 * - GET (the URL check when the callback is saved): `msg_signature` over token, timestamp, nonce and
 *   `echostr`, checked in constant time; the decrypted `echostr` is the answer. Anything wrong: 403.
 * - POST: the body is capped before it is read; `timestamp` must be within the window of the injected
 *   clock; `msg_signature` must match the `Encrypt` value; the decrypted text must carry the CorpID as
 *   its receiveid. Any failure is a 403 and `receive` is never called. A message is answered 200 with
 *   an empty body (no passive reply) only after `receive` resolved; 500 when it threw, so WeCom tries
 *   again with the same `MsgId`, which the core stores once.
 */
export function createWeComWebhookHandler(options: WeComWebhookOptions): (request: Request) => Promise<Response> {
  const refuse = (why: string) => {
    options.logger().warn(`wecom callback refused: ${why}`);
    return answer(403);
  };
  const checked = (url: URL, encrypted: string): string | undefined => {
    const timestamp = url.searchParams.get('timestamp') ?? '';
    const nonce = url.searchParams.get('nonce') ?? '';
    const signature = url.searchParams.get('msg_signature') ?? '';
    const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
    if (!Number.isFinite(seconds) || Math.abs(options.clock.now() / 1000 - seconds) > options.windowSeconds)
      return 'timestamp missing or outside the window';
    if (signature === '' || encrypted === '' || !verifyWeComSignature(options.token, { timestamp, nonce, encrypted }, signature))
      return 'bad msg_signature';
    return undefined;
  };

  return async (request) => {
    if (!options.running()) return answer(503, 'the WeCom channel is not running');
    const url = new URL(request.url);
    if (request.method === 'GET') {
      const echo = url.searchParams.get('echostr') ?? '';
      const problem = checked(url, echo);
      if (problem) return refuse(problem);
      const decrypted = decryptWeComMessage(options.aes, echo, options.corpId);
      if ('refused' in decrypted) return refuse(`echostr: ${decrypted.refused}`);
      return answer(200, decrypted.message);
    }
    if (request.method !== 'POST') return answer(405);
    const raw = (await readRequestBody(request, options.maxBodyBytes))?.toString('utf8');
    if (raw === undefined) return answer(413);
    const outer = parseWeComXml(raw);
    if (!outer) return answer(400, 'not a WeCom callback');
    const problem = checked(url, outer.Encrypt ?? '');
    if (problem) return refuse(problem);
    const decrypted = decryptWeComMessage(options.aes, outer.Encrypt ?? '', options.corpId);
    if ('refused' in decrypted) return refuse(decrypted.refused);
    const fields = parseWeComXml(decrypted.message);
    if (!fields) return answer(400, 'the decrypted message is not XML');
    const message = normalizeWeComMessage(fields, options.channel);
    if (!message) return answer(200);
    try {
      await options.receive(message);
    } catch (error) {
      options.logger().warn('wecom message not stored; answering 500 so WeCom retries', { error: errorMessage(error) });
      return answer(500);
    }
    return answer(200);
  };
}
