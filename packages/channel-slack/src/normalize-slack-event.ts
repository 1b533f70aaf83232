import type { Attachment, InboundMessage } from '@ngb/plugin-sdk';
import { unescapeSlackText } from './convert-to-slack-markup';

/** What the normalizer needs besides the event. */
export interface SlackNormalizeContext {
  /** The adapter's name (`slack`). */
  channel: string;
  /** The bot's user id (`self.id`), once known. */
  selfId: string | undefined;
  /** Keep messages of other bots and apps. */
  allowBots: boolean;
  /** Display names of the users the event names, resolved beforehand. */
  names: ReadonlyMap<string, string>;
}

/** A message for `receive`, or why the event is not one. */
export type SlackEventOutcome = { inbound: InboundMessage } | { ignored: string };

type Fields = Record<string, unknown>;

const record = (value: unknown): Fields | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Subtypes that are a person's (or bot's) new message; every other subtype is not a message to answer. */
const messageSubtypes = new Set([undefined, 'file_share', 'thread_broadcast', 'me_message', 'bot_message']);

/** Epoch milliseconds of a Slack `ts` (`"1355517523.000005"`). */
function slackTsToMs(ts: string | undefined): number {
  const seconds = Number(ts);
  return Number.isFinite(seconds) ? Math.round(seconds * 1000) : 0;
}

const mentionPattern = /<@([A-Z0-9]+)(?:\|[^>]*)?>/g;

/** The users an event names (author, mentions, thread parent), whose names are worth resolving. */
export function userIdsOf(event: unknown): string[] {
  const fields = record(event);
  if (!fields) return [];
  const message = record(fields.message) ?? fields;
  const ids = [text(message.user), text(fields.parent_user_id), text(record(fields.previous_message)?.user)];
  for (const match of (text(message.text) ?? '').matchAll(mentionPattern)) ids.push(match[1]);
  return ids.filter((id): id is string => id !== undefined && id !== '');
}

/** Message text as people read it: mentions by name, links by label (and URL), entities decoded. */
export function readableSlackText(raw: string, names: ReadonlyMap<string, string>): string {
  const shown = raw.replace(/<([^<>|]+)(?:\|([^<>]*))?>/g, (_whole, target: string, label: string | undefined) => {
    if (target.startsWith('@')) return `@${names.get(target.slice(1)) ?? label ?? target.slice(1)}`;
    if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
    if (target.startsWith('!')) return label ?? `@${target.slice(1).split('^')[0]}`;
    if (label === undefined || label === target || target.replace(/^[a-z]+:(\/\/)?/i, '') === label) return label ?? target;
    return `${label} (${target})`;
  });
  return unescapeSlackText(shown);
}

function attachmentsOf(files: unknown): Attachment[] | undefined {
  if (!Array.isArray(files)) return undefined;
  const attachments = files.flatMap((file): Attachment[] => {
    const fields = record(file);
    const reference = text(fields?.url_private_download) ?? text(fields?.url_private);
    if (!fields || reference === undefined) return [];
    const mimeType = text(fields.mimetype);
    const kind = mimeType?.startsWith('image/')
      ? 'image'
      : mimeType?.startsWith('audio/')
        ? 'audio'
        : mimeType?.startsWith('video/')
          ? 'video'
          : 'file';
    const size = typeof fields.size === 'number' ? fields.size : undefined;
    const name = text(fields.name) ?? text(fields.title);
    return [
      { kind, reference, ...(name ? { name } : {}), ...(mimeType ? { mimeType } : {}), ...(size !== undefined ? { size } : {}) },
    ];
  });
  return attachments.length > 0 ? attachments : undefined;
}

function senderOf(message: Fields, names: ReadonlyMap<string, string>) {
  const botId = text(message.bot_id);
  const isBot = botId !== undefined || message.subtype === 'bot_message';
  const id = text(message.user) ?? botId ?? 'unknown';
  const name = names.get(id) ?? text(message.username) ?? text(record(message.bot_profile)?.name);
  return { id, ...(name ? { name } : {}), isBot };
}

function chatOf(fields: Fields, channelId: string, senderName: string | undefined): InboundMessage['chat'] {
  const type = text(fields.channel_type);
  const isGroup = type !== undefined ? type !== 'im' : !channelId.startsWith('D');
  return { id: channelId, isGroup, ...(!isGroup && senderName ? { name: senderName } : {}) };
}

/**
 * Turns one Slack event (`message` with its subtypes, or `app_mention`) into the contract's inbound
 * message: `channel` is the chat, `ts` the platform message id (stable across Slack's redeliveries),
 * `thread_ts` the thread; `message_changed` is an edit and `message_deleted` a deletion of the message
 * they name. Messages of other bots are ignored unless allowed; the bot's own are reported unchanged
 * (the core drops them).
 */
export function normalizeSlackEvent(event: unknown, context: SlackNormalizeContext): SlackEventOutcome {
  const fields = record(event);
  const channelId = text(fields?.channel);
  if (!fields || channelId === undefined) return { ignored: 'not a message event' };
  if (fields.type !== 'message' && fields.type !== 'app_mention')
    return { ignored: `event type ${typeof fields.type === 'string' ? fields.type : typeof fields.type}` };
  const subtype = text(fields.subtype);

  if (subtype === 'message_deleted') {
    const previous = record(fields.previous_message) ?? {};
    const deletedTs = text(fields.deleted_ts) ?? text(previous.ts);
    if (deletedTs === undefined) return { ignored: 'deletion without deleted_ts' };
    const sender = senderOf(previous, context.names);
    return {
      inbound: {
        kind: 'delete',
        channel: context.channel,
        chat: chatOf(fields, channelId, undefined),
        platformMessageId: deletedTs,
        sender,
        text: '',
        mentionsBot: false,
        timestamp: slackTsToMs(text(fields.ts)),
      },
    };
  }

  const editing = subtype === 'message_changed';
  if (!editing && !messageSubtypes.has(subtype)) return { ignored: `message subtype ${subtype}` };
  const message = editing ? record(fields.message) : fields;
  const ts = text(message?.ts);
  if (!message || ts === undefined) return { ignored: 'message without ts' };
  const previousText = text(record(fields.previous_message)?.text);
  if (editing && previousText !== undefined && previousText === text(message.text))
    return { ignored: 'edit without a text change' };

  const sender = senderOf(message, context.names);
  if (sender.isBot && sender.id !== context.selfId && !context.allowBots) return { ignored: 'a bot message' };
  const raw = text(message.text) ?? '';
  const threadTs = text(message.thread_ts);
  const parentUserId = text(message.parent_user_id) ?? text(fields.parent_user_id);
  const isThreadReply = threadTs !== undefined && threadTs !== ts;
  const selfMentioned = context.selfId !== undefined && new RegExp(`<@${context.selfId}(\\|[^>]*)?>`).test(raw);
  const replyToBot = isThreadReply && parentUserId !== undefined && parentUserId === context.selfId;
  const parentName = parentUserId !== undefined ? context.names.get(parentUserId) : undefined;
  const attachments = attachmentsOf(message.files);
  return {
    inbound: {
      ...(editing ? { kind: 'edit' as const } : {}),
      channel: context.channel,
      chat: chatOf(fields, channelId, sender.name),
      ...(threadTs !== undefined ? { threadId: threadTs } : {}),
      platformMessageId: ts,
      sender,
      text: readableSlackText(raw, context.names),
      mentionsBot: fields.type === 'app_mention' || selfMentioned || replyToBot,
      ...(isThreadReply
        ? {
            replyTo: {
              id: threadTs,
              ...(parentUserId !== undefined
                ? { author: { id: parentUserId, ...(parentName ? { name: parentName } : {}) } }
                : {}),
            },
          }
        : {}),
      ...(attachments ? { attachments } : {}),
      timestamp: slackTsToMs(editing ? text(fields.ts) : ts),
    },
  };
}

/**
 * The key one delivery of an event is known by: the channel, the event's own `ts`, and for edits and
 * deletions their subtype. A message Slack sends both as `message` and as `app_mention` has the same
 * key, and so has every retry.
 */
export function slackEventKey(event: unknown): string | undefined {
  const fields = record(event);
  const channel = text(fields?.channel);
  const ts = text(fields?.ts) ?? text(fields?.event_ts);
  const subtype = text(fields?.subtype);
  const change = subtype === 'message_changed' || subtype === 'message_deleted' ? `:${subtype}` : '';
  return channel !== undefined && ts !== undefined ? `${channel}:${ts}${change}` : undefined;
}
