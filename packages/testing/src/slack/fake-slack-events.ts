import { createHmac } from 'node:crypto';

/** A Slack event as it appears under `payload.event` (fields as Slack documents them). */
export type FakeSlackEvent = Record<string, unknown> & { type: string };

/** The workspace facts every event callback carries. */
export interface FakeSlackWorkspace {
  teamId: string;
  appId: string;
  botUserId: string;
}

let eventCounter = 0;

/** Wraps an event in the `event_callback` body Slack sends over HTTP and inside socket envelopes. */
export function eventCallback(workspace: FakeSlackWorkspace, event: FakeSlackEvent, eventTime: number): Record<string, unknown> {
  eventCounter += 1;
  return {
    token: 'verification-token-unused',
    team_id: workspace.teamId,
    api_app_id: workspace.appId,
    event,
    type: 'event_callback',
    event_id: `Ev${String(eventCounter).padStart(8, '0')}`,
    event_time: Math.floor(eventTime / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: workspace.teamId,
        user_id: workspace.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(String(eventCounter)).toString('base64')}`,
  };
}

/** Options of {@link signedSlackRequest}. */
export interface SignedSlackRequestOptions {
  /** The app's signing secret; a wrong one makes a forged request. */
  signingSecret: string;
  /** Where the request goes. @default 'http://127.0.0.1/channels/slack/webhook' */
  url?: string;
  /** The `X-Slack-Request-Timestamp`, epoch seconds. @default now */
  timestampSeconds?: number;
  /** Sets `X-Slack-Retry-Num` (and `X-Slack-Retry-Reason: http_timeout`) as Slack does on a retry. */
  retryNum?: number;
  /** Leaves the signature header out. @default false */
  unsigned?: boolean;
}

/** The `v0=` signature of the Events API: HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the signing secret. */
export function slackSignature(signingSecret: string, timestampSeconds: number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex')}`;
}

/** An Events API request as Slack posts it: JSON body, timestamp and `v0=` signature headers. */
export function signedSlackRequest(body: unknown, options: SignedSlackRequestOptions): Request {
  const rawBody = JSON.stringify(body);
  const timestamp = options.timestampSeconds ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-slack-request-timestamp': String(timestamp),
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
  };
  if (!options.unsigned) headers['x-slack-signature'] = slackSignature(options.signingSecret, timestamp, rawBody);
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  return new Request(options.url ?? 'http://127.0.0.1/channels/slack/webhook', { method: 'POST', headers, body: rawBody });
}
