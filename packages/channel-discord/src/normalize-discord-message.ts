import type { Attachment, InboundMessage } from '@ngb/plugin-sdk';

// Raw gateway dispatches (MESSAGE_CREATE / MESSAGE_UPDATE / MESSAGE_DELETE) → the contract's inbound
// message. Raw payloads rather than message objects: they need no message, member or user
// cache (so those caches stay empty), and an update or deletion of a message never seen is still reported.

/** A user as the gateway sends it. */
interface RawUser {
  id: string;
  username?: string;
  global_name?: string | null;
  bot?: boolean;
}

/** A message as the gateway sends it (the fields read here). */
interface RawDiscordMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  channel_type?: number;
  type?: number;
  author?: RawUser;
  member?: { nick?: string | null };
  content?: string;
  timestamp?: string;
  edited_timestamp?: string | null;
  mentions?: RawUser[];
  message_reference?: { message_id?: string };
  referenced_message?: RawDiscordMessage | null;
  attachments?: Array<{ id: string; filename?: string; content_type?: string; size?: number; url?: string }>;
}

/** What the adapter knows of a channel, from its channel cache. */
export interface DiscordChannelInfo {
  name?: string;
  /** For a thread: the channel it belongs to. */
  parentId?: string;
  parentName?: string;
}

/** What normalizing needs besides the payload. */
export interface NormalizeContext {
  /** The bot's own user id. */
  selfId: string;
  /** The channel of a guild message, when known. */
  channel(channelId: string): DiscordChannelInfo | undefined;
  /** Who wrote a message (for deletions, which do not say), when remembered. */
  author(messageId: string): InboundMessage['sender'] | undefined;
  /** When the deletion was seen, epoch ms (deletions carry no time). */
  now(): number;
}

// DEFAULT and REPLY; joins, pins, thread starts and other system messages are not conversation.
const conversationTypes = new Set([0, 19]);

function senderOf(user: RawUser | undefined, nick: string | null | undefined): InboundMessage['sender'] {
  if (typeof user?.id !== 'string' || user.id === '') return { id: 'unknown' };
  const name = [nick, user.global_name, user.username].find((candidate) => typeof candidate === 'string' && candidate !== '');
  return { id: user.id, ...(name ? { name } : {}), isBot: user.bot === true };
}

function attachmentKind(mimeType: string | undefined): Attachment['kind'] {
  if (mimeType?.startsWith('image/')) return 'image';
  if (mimeType?.startsWith('audio/')) return 'audio';
  if (mimeType?.startsWith('video/')) return 'video';
  return 'file';
}

function attachmentsOf(message: RawDiscordMessage): Attachment[] {
  return (message.attachments ?? [])
    .filter((attachment) => typeof attachment.url === 'string')
    .map((attachment) => ({
      kind: attachmentKind(attachment.content_type),
      ...(attachment.filename ? { name: attachment.filename } : {}),
      ...(attachment.content_type ? { mimeType: attachment.content_type.split(';')[0]?.trim() } : {}),
      ...(typeof attachment.size === 'number' ? { size: attachment.size } : {}),
      reference: attachment.url as string,
    }));
}

/** `<@id>` mentions of known users read as `@name`, the way people see them. */
function readableText(message: RawDiscordMessage): string {
  let text = message.content ?? '';
  for (const user of message.mentions ?? []) {
    const name = user.global_name || user.username;
    if (name) text = text.replaceAll(`<@${user.id}>`, `@${name}`).replaceAll(`<@!${user.id}>`, `@${name}`);
  }
  return text;
}

function place(message: RawDiscordMessage, context: NormalizeContext): Pick<InboundMessage, 'chat' | 'threadId'> {
  if (message.guild_id === undefined) return { chat: { id: message.channel_id, isGroup: false } };
  const channel = context.channel(message.channel_id);
  if (channel?.parentId !== undefined) {
    const name = channel.parentName ? `#${channel.parentName}` : undefined;
    return { chat: { id: channel.parentId, ...(name ? { name } : {}), isGroup: true }, threadId: message.channel_id };
  }
  return { chat: { id: message.channel_id, ...(channel?.name ? { name: `#${channel.name}` } : {}), isGroup: true } };
}

function time(iso: string | null | undefined, fallback: () => number): number {
  const parsed = iso ? Date.parse(iso) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : fallback();
}

/**
 * Normalizes one gateway dispatch.
 * @param type the dispatch's `t`
 * @param data its `d`
 * @returns the inbound message, or undefined for what is not one (system messages, an update that only
 *   added a link preview, other events)
 */
export function normalizeDiscordDispatch(type: string, data: unknown, context: NormalizeContext): InboundMessage | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const message = data as RawDiscordMessage;
  if (typeof message.id !== 'string' || typeof message.channel_id !== 'string') return undefined;
  if (type === 'MESSAGE_DELETE') {
    return {
      kind: 'delete',
      channel: 'discord',
      ...place(message, context),
      platformMessageId: message.id,
      sender: context.author(message.id) ?? { id: 'unknown' },
      text: '',
      mentionsBot: false,
      timestamp: context.now(),
    };
  }
  const isEdit = type === 'MESSAGE_UPDATE';
  if (!isEdit && type !== 'MESSAGE_CREATE') return undefined;
  if (message.type !== undefined && !conversationTypes.has(message.type)) return undefined;
  // An update without new text (or without an edit time) is Discord adding an embed, not an edit.
  if (isEdit && (typeof message.content !== 'string' || !message.edited_timestamp)) return undefined;
  const referenced = message.referenced_message ?? undefined;
  const replyId = message.message_reference?.message_id ?? referenced?.id;
  const mentioned = (message.mentions ?? []).some((user) => user.id === context.selfId);
  const attachments = attachmentsOf(message);
  return {
    ...(isEdit ? { kind: 'edit' as const } : {}),
    channel: 'discord',
    ...place(message, context),
    platformMessageId: message.id,
    sender: senderOf(message.author, message.member?.nick),
    text: readableText(message),
    mentionsBot: mentioned || referenced?.author?.id === context.selfId,
    ...(replyId === undefined
      ? {}
      : {
          replyTo: {
            id: replyId,
            ...(referenced?.author ? { author: senderName(referenced.author) } : {}),
            ...(typeof referenced?.content === 'string' ? { text: readableText(referenced) } : {}),
          },
        }),
    ...(attachments.length > 0 ? { attachments } : {}),
    timestamp: isEdit ? time(message.edited_timestamp, context.now) : time(message.timestamp, context.now),
  };
}

function senderName(user: RawUser): { id: string; name?: string } {
  const name = [user.global_name, user.username].find((candidate) => typeof candidate === 'string' && candidate !== '');
  return { id: user.id, ...(name ? { name } : {}) };
}
