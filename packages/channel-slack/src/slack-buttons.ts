import type { InboundMessage, MessageFormat, OutboundChoice } from '@ngb/plugin-sdk';
import type { Block, KnownBlock } from '@slack/web-api';
import { escapeSlackText } from './convert-to-slack-markup';

/** The longest text of one section block. */
const sectionChars = 3_000;
/** The longest label of a button (Block Kit `plain_text` of a button element). */
const labelChars = 75;
/** The most elements one `actions` block holds. */
const buttonsPerBlock = 25;

type Fields = Record<string, unknown>;

const record = (value: unknown): Fields | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

const capped = (label: string) => (label.length <= labelChars ? label : `${label.slice(0, labelChars - 1)}…`);

/**
 * The blocks of a message with buttons: its text in section blocks (`mrkdwn` for already converted
 * markup, `plain_text` for plain), then `actions` blocks of buttons whose `action_id` and `value` are
 * the choice id (what a press hands back). The message's `text` field still carries the text, for
 * notifications.
 */
export function slackChoiceBlocks(shown: string, format: MessageFormat, choices: readonly OutboundChoice[]): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  for (let start = 0; start < shown.length; start += sectionChars) {
    const part = shown.slice(start, start + sectionChars);
    blocks.push({
      type: 'section',
      text: format === 'markdown' ? { type: 'mrkdwn', text: part } : { type: 'plain_text', text: part, emoji: false },
    });
  }
  for (let start = 0; start < choices.length; start += buttonsPerBlock) {
    blocks.push({
      type: 'actions',
      block_id: `ngb-choices-${start / buttonsPerBlock}`,
      elements: choices.slice(start, start + buttonsPerBlock).map((choice) => ({
        type: 'button',
        action_id: choice.id,
        value: choice.id,
        text: { type: 'plain_text', text: capped(choice.label), emoji: true },
      })),
    });
  }
  return blocks;
}

/**
 * The blocks of an answered message: its blocks without the buttons, and one line saying what was
 * chosen and by whom, so nobody presses again.
 */
export function answeredBlocks(blocks: unknown, label: string, userId: string): Array<Block | KnownBlock> {
  // Slack's own blocks of the message, handed back as they came.
  const kept = (Array.isArray(blocks) ? blocks : [])
    .map(record)
    .filter((block): block is Fields => block !== undefined && typeof block.type === 'string' && block.type !== 'actions')
    .map((block) => block as unknown as Block);
  return [...kept, { type: 'context', elements: [{ type: 'mrkdwn', text: `✓ *${escapeSlackText(label)}* (<@${userId}>)` }] }];
}

/** A press of one of the bot's buttons, read from a `block_actions` payload. */
export interface SlackPress {
  inbound: InboundMessage;
  /** The pressed message: channel, `ts`, its blocks and text as Slack gave them (to update it once answered). */
  message: { channel: string; ts: string; blocks: unknown; text: string };
}

/**
 * A `block_actions` payload (https://api.slack.com/reference/interaction-payloads/block-actions)
 * → a `choice` inbound from the person who pressed, in the message's channel and thread; its
 * `platformMessageId` is the press's own (`trigger_id`), the same when Slack delivers it again.
 * @returns undefined for any other payload, or a press without a button value, user or channel
 */
export function normalizeSlackBlockAction(payload: unknown, channel: string): SlackPress | undefined {
  const fields = record(payload);
  if (fields?.type !== 'block_actions') return undefined;
  const action = record(Array.isArray(fields.actions) ? fields.actions[0] : undefined);
  const user = record(fields.user);
  const container = record(fields.container);
  const message = record(fields.message);
  const choice = text(action?.value);
  const userId = text(user?.id);
  const channelId = text(record(fields.channel)?.id) ?? text(container?.channel_id);
  const ts = text(message?.ts) ?? text(container?.message_ts);
  const pressId = text(fields.trigger_id) ?? text(action?.action_ts);
  if (!action || !choice || !userId || !channelId || !ts || !pressId) return undefined;
  const threadTs = text(message?.thread_ts) ?? text(container?.thread_ts);
  const name = text(user?.name) ?? text(user?.username);
  const isGroup = !channelId.startsWith('D');
  const seconds = Number(text(action.action_ts));
  return {
    inbound: {
      kind: 'choice',
      channel,
      chat: { id: channelId, isGroup },
      ...(threadTs !== undefined && threadTs !== ts ? { threadId: threadTs } : {}),
      platformMessageId: `press:${pressId}`,
      sender: { id: userId, ...(name ? { name } : {}), isBot: false },
      text: text(record(action.text)?.text) ?? '',
      mentionsBot: false,
      choice,
      timestamp: Number.isFinite(seconds) ? Math.round(seconds * 1000) : 0,
    },
    message: { channel: channelId, ts, blocks: message?.blocks, text: text(message?.text) ?? '' },
  };
}
