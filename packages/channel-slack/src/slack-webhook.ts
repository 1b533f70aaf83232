import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Clock, type Logger, readRequestBody } from '@ngb/plugin-sdk';
import type { SlackInbound } from './slack-inbound';

/** Options of {@link createSlackWebhookHandler}. */
export interface SlackWebhookOptions {
  signingSecret: string;
  clock: Clock;
  /** True between `start` and `stop`. */
  running(): boolean;
  inbound: SlackInbound;
  /** Handles an interaction payload (a `block_actions` press; others are ignored). */
  onInteraction(payload: unknown): Promise<void>;
  logger(): Logger;
  /** Largest body read, in bytes. @default 1 MiB */
  maxBodyBytes?: number;
}

/** Slack's replay window: a request signed more than five minutes away from now is refused. */
const replayWindowSeconds = 5 * 60;

const answer = (status: number, body?: unknown) =>
  body === undefined
    ? new Response(null, { status })
    : new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** True when `signature` is the `v0=` HMAC-SHA256 of `v0:<timestamp>:<body>`, compared in constant time. */
function verifySlackSignature(signingSecret: string, timestamp: string, rawBody: string, signature: string): boolean {
  const expected = Buffer.from(`v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The Events API endpoint (`/channels/slack/webhook`): checks the `v0=` signature in constant time
 * and the timestamp against a five-minute window on the injected clock (401 without calling
 * `receive` when either fails), answers `url_verification` with its challenge, and answers an
 * `event_callback` 200 only after `receive` resolved (500 when it threw, so Slack retries). A retry
 * (`X-Slack-Retry-Num`) carries the same channel and `ts`, so it never makes a second message.
 * Interactivity payloads (form-encoded `payload=`, a button press) pass the same checks and are
 * answered 200 once `receive` resolved.
 */
export function createSlackWebhookHandler(options: SlackWebhookOptions): (request: Request) => Promise<Response> {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;

  // The Interactivity Request URL (set to this same path): `payload=<json>`, signed like events.
  const interaction = async (rawBody: string): Promise<Response> => {
    let payload: unknown;
    try {
      payload = JSON.parse(new URLSearchParams(rawBody).get('payload') ?? '');
    } catch {
      return answer(400, { error: 'the payload field is not JSON' });
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
      return answer(400, { error: 'the payload is not an object' });
    try {
      await options.onInteraction(payload);
    } catch (error) {
      options.logger().warn('slack button press not taken; answering 500', {
        error: error instanceof Error ? error.message : String(error),
      });
      return answer(500);
    }
    return answer(200);
  };
  return async (request) => {
    if (!options.running()) return answer(503, { error: 'the Slack channel is not running' });
    if (request.method !== 'POST') return answer(405);
    const rawBody = (await readRequestBody(request, maxBodyBytes))?.toString('utf8');
    if (rawBody === undefined) return answer(413);
    const timestamp = request.headers.get('x-slack-request-timestamp') ?? '';
    const signature = request.headers.get('x-slack-signature') ?? '';
    const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
    if (!Number.isFinite(seconds) || Math.abs(options.clock.now() / 1000 - seconds) > replayWindowSeconds) {
      options.logger().warn('slack webhook refused: timestamp missing or outside the five-minute window');
      return answer(401);
    }
    if (signature === '' || !verifySlackSignature(options.signingSecret, timestamp, rawBody, signature)) {
      options.logger().warn('slack webhook refused: bad signature');
      return answer(401);
    }
    const contentType = request.headers.get('content-type') ?? '';
    if (contentType.startsWith('application/x-www-form-urlencoded')) return interaction(rawBody);
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      return answer(400, { error: 'the body is not JSON' });
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return answer(400, { error: 'the body is not an object' });
    const payload = body as { type?: unknown; challenge?: unknown; event?: unknown };
    if (payload.type === 'url_verification') return answer(200, { challenge: String(payload.challenge ?? '') });
    if (payload.type !== 'event_callback') return answer(200);
    const retryAttempt = Number(request.headers.get('x-slack-retry-num') ?? '0') || 0;
    try {
      await options.inbound.handleEvent(payload.event, retryAttempt);
    } catch (error) {
      options.logger().warn('slack event not stored; answering 500 so Slack retries', {
        error: error instanceof Error ? error.message : String(error),
      });
      return answer(500);
    }
    return answer(200);
  };
}
