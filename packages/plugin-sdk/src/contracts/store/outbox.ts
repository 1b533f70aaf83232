import type { MessageFormat, OutboundChoice } from '../channel';

/** Life of an outbox entry. */
export type OutboxStatus = 'pending' | 'sent' | 'failed';

/** A message waiting to be (or already) delivered to a platform. */
export interface OutboxEntry {
  id: string;
  /** Stable per turn and index, so a retried turn never sends twice. Unique. */
  key: string;
  sessionId?: string;
  turnId?: string;
  channel: string;
  /** The platform's chat id. */
  chatId: string;
  threadId?: string;
  text: string;
  /** How `text` is written: agents' replies are `markdown`, the gateway's own notices `plain`. */
  format: MessageFormat;
  replyToPlatformId?: string;
  status: OutboxStatus;
  attempts: number;
  error?: string;
  /** When the next delivery attempt may happen. */
  nextAttemptAt?: number;
  /** For `failed` entries: true when the platform refused for good, false when retries ran out. */
  permanentFailure: boolean;
  platformMessageId?: string;
  /**
   * Platform ids of the parts of a long text already sent, in order (a text longer than the
   * channel's limit goes out in parts). Delivery resumes after them, so a crash part-way through
   * never sends a part twice. Empty until the first part is sent.
   */
  sentChunkIds: string[];
  /**
   * Platform ids of the messages a streamed reply went into while its turn ran, in order. Delivery
   * edits them with the final text (and sends only the parts beyond them), so a reply is never sent
   * twice, even after a crash mid-stream. Empty for a reply that was not streamed.
   */
  streamMessageIds: string[];
  /**
   * True while the reply's turn still streams it: the row is not pending for delivery (neither
   * `listPending` nor `pendingChats` returns it) until {@link OutboxRepository.closeStream}.
   */
  streaming: boolean;
  /** For a reply to another agent: the hop count of the exchange it answers; 0 otherwise. */
  hop: number;
  /** Buttons to show under the message (a question of `ask_user`); shown with its last part. */
  choices?: OutboundChoice[];
  sentAt?: number;
  /** When the entry failed for good (status `failed`: a dead letter the owner can retry). */
  failedAt?: number;
  createdAt: number;
  updatedAt: number;
}

/** Input of {@link OutboxRepository.enqueue}. */
export interface NewOutboxEntry {
  key: string;
  sessionId?: string;
  turnId?: string;
  channel: string;
  chatId: string;
  threadId?: string;
  text: string;
  /** How `text` is written. @default 'plain' */
  format?: MessageFormat;
  replyToPlatformId?: string;
  /** @default 0 */
  hop?: number;
  /** Buttons to show under the message, on channels that can. */
  choices?: OutboundChoice[];
}

/** Outbound delivery queue. */
export interface OutboxRepository {
  /**
   * Queues a message. A `key` already queued returns the existing entry with `inserted: false`.
   * @throws NotFoundError for an unknown session or turn
   */
  enqueue(input: NewOutboxEntry): Promise<{ entry: OutboxEntry; inserted: boolean }>;
  /**
   * Starts a streamed reply: inserts the entry with `streaming: true`, or returns the entry already
   * queued under `key` (a retried turn streams into the messages of its earlier attempt).
   * @throws NotFoundError for an unknown session or turn
   */
  openStream(input: NewOutboxEntry): Promise<OutboxEntry>;
  /**
   * Records a platform message the reply streamed into (appended to `streamMessageIds`). Call it
   * right after the platform accepted the message.
   * @throws NotFoundError for an unknown id
   */
  recordStreamMessage(id: string, platformMessageId: string): Promise<OutboxEntry>;
  /**
   * Ends streaming with the reply's final text: the entry becomes pending for delivery, which
   * edits the streamed messages. Call it in the transaction that commits the turn.
   * @throws NotFoundError for an unknown id
   */
  closeStream(id: string, text: string): Promise<OutboxEntry>;
  /** @returns undefined for an unknown id */
  get(id: string): Promise<OutboxEntry | undefined>;
  /** @returns `pending` entries that are not streaming (whatever their `nextAttemptAt`), oldest first */
  listPending(filter?: { channel?: string; chatId?: string }): Promise<OutboxEntry[]>;
  /**
   * The latest `limit` entries sent to one chat, oldest first (by `sentAt`, ties in the order they were
   * queued): what the gateway said there, for a channel that shows the conversation itself.
   */
  listSentToChat(channel: string, chatId: string, options: { limit: number }): Promise<OutboxEntry[]>;
  /** Marks delivered. @throws NotFoundError for an unknown id */
  markSent(id: string, platformMessageId: string, sentAt: number): Promise<OutboxEntry>;
  /**
   * Gives up: status `failed` (a dead letter), one more attempt counted, `failedAt` set.
   * `failedAt` defaults to the store's clock.
   * @throws NotFoundError for an unknown id
   */
  markFailed(id: string, error: string, options: { permanent: boolean; failedAt?: number }): Promise<OutboxEntry>;
  /**
   * The dead letters: `failed` entries, the one that failed last first.
   * @param options.limit the most entries returned @default 100
   */
  listFailed(options?: { limit?: number }): Promise<OutboxEntry[]>;
  /**
   * Queues a failed entry again, as it was before its first attempt: status `pending`, no attempts,
   * no error, no `nextAttemptAt`, no `failedAt`. Parts already sent (`sentChunkIds`) stay sent.
   * Atomic: of two calls for one entry, one wins.
   * @throws NotFoundError for an unknown id
   * @throws NgbError `outbox_not_failed` when the entry is not `failed` (pending or sent)
   */
  requeue(id: string): Promise<OutboxEntry>;
  /**
   * Records that the next part of a long text was sent, with its platform id (appended to
   * `sentChunkIds`). Call it right after each part is accepted by the platform.
   * @throws NotFoundError for an unknown id
   */
  recordChunk(id: string, platformMessageId: string): Promise<OutboxEntry>;
  /** Counts a failed attempt and keeps it pending until `nextAttemptAt`. @throws NotFoundError */
  bumpAttempt(id: string, error: string, nextAttemptAt: number): Promise<OutboxEntry>;
  /** @returns chats with pending entries that are not streaming, the one waiting longest first */
  pendingChats(): Promise<Array<{ channel: string; chatId: string }>>;
}
