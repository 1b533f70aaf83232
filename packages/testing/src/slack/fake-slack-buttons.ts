// Block Kit buttons in the fake Slack: what a message's `actions` blocks hold, and the
// `block_actions` payload Slack sends when a person presses one (over Socket Mode inside an
// `interactive` envelope, or over HTTP as a form field `payload=` signed like the Events API).
import { slackSignature } from './fake-slack-events';
import type { FakeSlackButton, FakeSlackSentMessage } from './fake-slack-types';

type Fields = Record<string, unknown>;
const record = (value: unknown): Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : {};

/** The buttons of the `actions` blocks of `blocks`, in order; undefined when there are none. */
export function buttonsOfBlocks(blocks: unknown): FakeSlackButton[] | undefined {
  if (!Array.isArray(blocks)) return undefined;
  const buttons = blocks
    .filter((block) => record(block).type === 'actions')
    .flatMap((block) => (Array.isArray(record(block).elements) ? (record(block).elements as unknown[]) : []))
    .filter((element) => record(element).type === 'button')
    .map((element) => {
      const fields = record(element);
      return {
        actionId: String(fields.action_id ?? ''),
        value: String(fields.value ?? ''),
        text: String(record(fields.text).text ?? ''),
      };
    });
  return buttons.length > 0 ? buttons : undefined;
}

/** Who presses, and which button (by its `value`, else its `action_id`). */
export interface FakeSlackPress {
  /** The channel and `ts` of the bot's message holding the buttons. */
  channel: string;
  ts: string;
  /** The button's `value` (or `action_id`). */
  value: string;
  /** The person's user id. */
  user: string;
}

let pressCounter = 0;

/**
 * The `block_actions` payload of a press, as Slack documents it
 * (https://api.slack.com/reference/interaction-payloads/block-actions).
 */
export function blockActionsPayload(
  workspace: { teamId: string; appId: string },
  message: FakeSlackSentMessage,
  press: FakeSlackPress,
  user: { id: string; name: string },
  now: number,
): Record<string, unknown> {
  const button = message.buttons?.find((candidate) => candidate.value === press.value || candidate.actionId === press.value);
  if (!button) throw new Error(`[@ngb/testing] fake Slack: message ${press.channel}:${press.ts} has no button ${press.value}`);
  pressCounter += 1;
  const actionTs = `${Math.floor(now / 1000)}.${String(100_000 + pressCounter).padStart(6, '0')}`;
  const blockId = (message.blocks ?? [])
    .map(record)
    .find((block) =>
      (Array.isArray(block.elements) ? block.elements : []).some((element) => record(element).action_id === button.actionId),
    )?.block_id;
  return {
    type: 'block_actions',
    user: { id: user.id, username: user.name, name: user.name, team_id: workspace.teamId },
    api_app_id: workspace.appId,
    token: 'verification-token-unused',
    container: {
      type: 'message',
      message_ts: message.ts,
      channel_id: message.channel,
      is_ephemeral: false,
      ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    },
    trigger_id: `${pressCounter}.${workspace.teamId}.fake${String(pressCounter).padStart(6, '0')}`,
    team: { id: workspace.teamId, domain: 'fake-workspace' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: message.channel, name: message.channel.startsWith('D') ? 'directmessage' : message.channel.toLowerCase() },
    message: {
      type: 'message',
      user: 'UBOT0001',
      ts: message.ts,
      ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
      bot_id: 'BBOT0001',
      app_id: workspace.appId,
      text: message.rawText,
      team: workspace.teamId,
      blocks: message.blocks ?? [],
    },
    state: { values: {} },
    response_url: `https://hooks.slack.com/actions/${workspace.teamId}/${pressCounter}/fake`,
    actions: [
      {
        action_id: button.actionId,
        block_id: blockId ?? 'fake-block',
        text: { type: 'plain_text', text: button.text, emoji: true },
        value: button.value,
        type: 'button',
        action_ts: actionTs,
      },
    ],
  };
}

/** A press posted to the Interactivity Request URL: `payload=<json>` form-encoded, signed with `v0=`. */
export function signedSlackInteraction(
  payload: unknown,
  options: { signingSecret: string; url?: string; timestampSeconds?: number },
): Request {
  const rawBody = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const timestamp = options.timestampSeconds ?? Math.floor(Date.now() / 1000);
  return new Request(options.url ?? 'http://127.0.0.1/channels/slack/webhook', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(options.signingSecret, timestamp, rawBody),
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    },
    body: rawBody,
  });
}
