import type { FakeSlackEvent } from './fake-slack-events';
import { escapeSlackText } from './fake-slack-text';
import type { FakeSlackFile } from './fake-slack-types';

/** A message a person (or another bot) posts in the fake workspace. */
export interface FakeSlackUserMessage {
  /** Channel id: `C…` for a channel, `G…` for a private one, `D…` for a direct message. */
  channel: string;
  /** The author's user id. */
  user: string;
  /** The text as typed; `&`, `<`, `>` are escaped as Slack does, and `<@U…>` stays a mention. */
  text: string;
  /** The parent message's `ts` for a reply in a thread. */
  threadTs?: string;
  /** The thread parent's author (Slack sends `parent_user_id` on thread replies). */
  parentUserId?: string;
  /** Files shared with the message (from `addFile`); the message gets `subtype: file_share`. */
  files?: FakeSlackFile[];
  /** Set for a message from an app or bot integration (`bot_id`, and `subtype: bot_message` without `user`). */
  botId?: string;
  /** Text kept verbatim (already in Slack's escaped form). @default false */
  raw?: boolean;
}

/** `channel_type` of a channel id, as Slack names it. */
function channelTypeOf(channel: string): 'im' | 'mpim' | 'group' | 'channel' {
  if (channel.startsWith('D')) return 'im';
  if (channel.startsWith('G')) return 'group';
  return 'channel';
}

/** Escapes typed text, keeping `<@U…>`, `<#C…>` and `<!here>` mentions as Slack encodes them. */
function encodeTyped(text: string): string {
  const parts = text.split(/(<[@#!][A-Z0-9a-z|._-]+>)/);
  return parts.map((part, index) => (index % 2 === 1 ? part : escapeSlackText(part))).join('');
}

/** The `message` event of a new message (and the `app_mention` Slack also sends when it names the bot). */
export function newMessageEvents(input: FakeSlackUserMessage, ts: string, teamId: string, botUserId: string): FakeSlackEvent[] {
  const text = input.raw ? input.text : encodeTyped(input.text);
  const common: Record<string, unknown> = {
    text,
    ts,
    channel: input.channel,
    event_ts: ts,
    team: teamId,
    ...(input.threadTs ? { thread_ts: input.threadTs, parent_user_id: input.parentUserId } : {}),
    ...(input.files ? { files: input.files, upload: false, display_as_bot: false } : {}),
  };
  const author = input.botId
    ? { bot_id: input.botId, ...(input.user ? { user: input.user } : {}), ...(input.user ? {} : { subtype: 'bot_message' }) }
    : { user: input.user, client_msg_id: `msg-${ts}` };
  const message: FakeSlackEvent = {
    type: 'message',
    ...(input.files ? { subtype: 'file_share' } : {}),
    ...author,
    ...common,
    channel_type: channelTypeOf(input.channel),
  };
  const events = [message];
  if (text.includes(`<@${botUserId}>`) && !input.channel.startsWith('D')) {
    events.push({ type: 'app_mention', ...author, ...common });
  }
  return events;
}

/** The `message_changed` event of an edit. */
export function editEvent(
  original: { channel: string; ts: string; user: string; text: string; threadTs?: string },
  newText: string,
  editTs: string,
): FakeSlackEvent {
  const text = encodeTyped(newText);
  return {
    type: 'message',
    subtype: 'message_changed',
    hidden: true,
    channel: original.channel,
    channel_type: channelTypeOf(original.channel),
    ts: editTs,
    event_ts: editTs,
    message: {
      type: 'message',
      user: original.user,
      text,
      ts: original.ts,
      ...(original.threadTs ? { thread_ts: original.threadTs } : {}),
      edited: { user: original.user, ts: editTs },
    },
    previous_message: { type: 'message', user: original.user, text: original.text, ts: original.ts },
  };
}

/** The `message_deleted` event of a removal. */
export function deleteEvent(
  original: { channel: string; ts: string; user: string; text: string },
  deleteTs: string,
): FakeSlackEvent {
  return {
    type: 'message',
    subtype: 'message_deleted',
    hidden: true,
    channel: original.channel,
    channel_type: channelTypeOf(original.channel),
    ts: deleteTs,
    event_ts: deleteTs,
    deleted_ts: original.ts,
    previous_message: { type: 'message', user: original.user, text: original.text, ts: original.ts },
  };
}
