import type { Attachment } from '../channel';

/** Who wrote a message: someone on the platform, or the gateway. */
export type MessageDirection = 'inbound' | 'outbound';

/** A message as stored (inbound from a platform, or outbound as sent by the gateway). */
export interface StoredMessage {
  id: string;
  /** The store's chat id (not the platform's). */
  chatId: string;
  platformMessageId: string;
  threadId?: string;
  /** The platform's id of the sender. */
  senderId: string;
  senderName?: string;
  text: string;
  mentionsBot: boolean;
  /** The platform id of the message this one replies to. */
  replyToPlatformId?: string;
  /** The platform user id of the author of the message replied to, when the platform gave it. */
  replyToAuthorId?: string;
  /** That author's display name, when the platform gave it. */
  replyToAuthorName?: string;
  /** The text of the message replied to (or the part quoted), when the platform gave it. */
  replyToText?: string;
  attachments: Attachment[];
  /** When the platform says it was sent. */
  timestamp: number;
  direction: MessageDirection;
  /** For a message from another agent: how many agent-to-agent steps led to it; 0 otherwise. */
  hop: number;
  /** When it was stored. */
  createdAt: number;
  /** The text as first stored, once the message was edited (`text` holds the latest). */
  originalText?: string;
  /** When the latest edit applied happened on the platform. */
  editedAt?: number;
  /** When it was deleted on the platform; its row and text stay for the owner's audit. */
  deletedAt?: number;
}

/** Input of {@link MessagesRepository.insert}. */
export interface NewStoredMessage {
  chatId: string;
  platformMessageId: string;
  threadId?: string;
  senderId: string;
  senderName?: string;
  text: string;
  mentionsBot: boolean;
  replyToPlatformId?: string;
  replyToAuthorId?: string;
  replyToAuthorName?: string;
  replyToText?: string;
  /** @default [] */
  attachments?: Attachment[];
  timestamp: number;
  direction: MessageDirection;
  /** @default 0 */
  hop?: number;
}

/** Messages and full-text search. */
export interface MessagesRepository {
  /**
   * Stores a message. A message already stored (same chat + platform message id) is NOT an error: it is
   * left unchanged and returned with `inserted: false`.
   * @throws NotFoundError for an unknown chat
   */
  insert(input: NewStoredMessage): Promise<{ message: StoredMessage; inserted: boolean }>;
  /**
   * Applies an edit made on the platform: `text` becomes the new text and the text first stored is
   * kept in `originalText` (a second edit keeps the first text there). An edit older than the one
   * already applied (`editedAt` before the stored one: a retried or reordered delivery) changes
   * nothing. The search index follows the new text.
   * @returns the message as stored after the call, or undefined when the chat has no message with
   *   this platform id (nothing is stored then)
   */
  edit(chatId: string, platformMessageId: string, change: { text: string; editedAt: number }): Promise<StoredMessage | undefined>;
  /**
   * Marks a message deleted on the platform (its text stays, for the owner's audit). Marking it again
   * keeps the first `deletedAt`. Deleted messages are left out of `search`.
   * @returns the message as stored after the call, or undefined when the chat has no message with
   *   this platform id (nothing is stored then)
   */
  markDeleted(chatId: string, platformMessageId: string, deletedAt: number): Promise<StoredMessage | undefined>;
  /** @returns undefined for an unknown id */
  get(id: string): Promise<StoredMessage | undefined>;
  /** @returns the message with this platform id in the chat, or undefined */
  getByPlatformId(chatId: string, platformMessageId: string): Promise<StoredMessage | undefined>;
  /**
   * Messages of a chat by `timestamp` (ties in insertion order).
   * @param options.afterTimestamp only messages with a timestamp strictly greater
   * @param options.limit keep only the most recent `limit` (still oldest first)
   */
  listForChat(chatId: string, options?: { afterTimestamp?: number; limit?: number }): Promise<StoredMessage[]>;
  /**
   * Full-text search. The text is split into words and every word must match; the text never reaches
   * the search engine's query syntax, so quotes, `*`, `NEAR`, `AND`, parentheses or `column:` are plain
   * words. Text with no words gives `[]`. Deleted messages are never found; edited ones by their latest text.
   * @param options.limit @default 20
   * @returns best matches first (ties newest first)
   */
  search(text: string, options?: { chatId?: string; limit?: number }): Promise<StoredMessage[]>;
  /**
   * Browses messages of every chat, newest first (by `timestamp`, ties the latest stored first),
   * filtered by words, chat, sender and time, in pages: pass the last message of a page as
   * `afterId` for the next. With `text` no words (only punctuation) find nothing.
   * @throws NotFoundError when `afterId` is not a stored message
   */
  find(query: MessageQuery): Promise<StoredMessage[]>;
}

/** What {@link MessagesRepository.find} looks for; every filter given must hold. */
export interface MessageQuery {
  /** Words that must all occur in the text, as in {@link MessagesRepository.search}; deleted messages never match. */
  text?: string;
  /** The store's chat id. */
  chatId?: string;
  /** The platform's id of the sender. */
  senderId?: string;
  /** Only messages with a `timestamp` at or after this (epoch ms). */
  fromTimestamp?: number;
  /** Only messages with a `timestamp` at or before this (epoch ms). */
  toTimestamp?: number;
  /** Continue after this message (the last of the previous page), in the same order. */
  afterId?: string;
  /** @default 50 */
  limit?: number;
}

/**
 * What an inbox row asks of a session: answer a message, keep a message as context, run a task, or
 * run an admin command (`/clear`, `/compact`, `/cost`, whose message the row names) in its turn.
 */
export type InboxKind = 'message' | 'context' | 'task' | 'command';

/** Work waiting for a session (the session queue's durable state). */
export interface InboxEntry {
  id: string;
  sessionId: string;
  messageId?: string;
  kind: InboxKind;
  taskId?: string;
  createdAt: number;
  /** Set once a turn has consumed the row. */
  processedAt?: number;
  turnId?: string;
}

/** Session inbox. */
export interface InboxRepository {
  /**
   * Adds a row. Adding the same message to the same session again returns the existing row.
   * @throws NotFoundError for an unknown session, message or task
   */
  add(input: { sessionId: string; messageId?: string; kind: InboxKind; taskId?: string }): Promise<InboxEntry>;
  /** @returns the row, processed or not, or undefined for an unknown id */
  get(id: string): Promise<InboxEntry | undefined>;
  /** @returns the session's unprocessed rows (all kinds), in arrival order */
  listPending(sessionId: string): Promise<InboxEntry[]>;
  /**
   * Marks rows as consumed by a turn. Rows already processed keep their first turn.
   * @throws NotFoundError when an id is unknown (nothing is changed then)
   */
  markProcessed(ids: readonly string[], turnId: string): Promise<void>;
  /** @returns ids of sessions with unprocessed `message`, `task` or `command` rows, the one waiting longest first */
  sessionsWithPending(): Promise<string[]>;
}
