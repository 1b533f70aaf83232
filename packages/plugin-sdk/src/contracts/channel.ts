import type { Address } from '../address';
import type { Logger } from '../logger';
import type { ReceiveResult } from './receive-result';

/** A file or media item attached to a message. */
export interface Attachment {
  /** Broad kind, used to choose how to show or send it. */
  kind: 'image' | 'audio' | 'video' | 'file';
  /** File name when the platform gives one. */
  name?: string;
  /** MIME type when known. */
  mimeType?: string;
  /** Size in bytes when known. */
  size?: number;
  /** A platform reference (file id or URL) the adapter can resolve later. */
  reference: string;
}

/**
 * What an inbound message tells the core: a new message, a new text for a message already posted,
 * or the removal of one.
 * - `message`: a new message; it is stored and routed, and may start a turn.
 * - `edit`: `platformMessageId` names a message posted before and `text` is its whole new text. The
 *   stored message gets the new text (its first text is kept); an edit never starts a turn and never
 *   creates a chat.
 * - `delete`: `platformMessageId` names a message that was removed; `text` is `''`. The stored message
 *   is marked deleted; a deletion never starts a turn and never creates a chat.
 * - `choice`: a button press (see `ButtonsCapability`); `choice` names the button. It answers the
 *   question that showed the buttons when the sender may talk in the chat; it is never stored as a
 *   message, never starts a turn and never creates a chat.
 */
export type InboundKind = 'message' | 'edit' | 'delete' | 'choice';

/** The message an inbound message replies to, as far as the platform tells. */
export interface InboundReplyTo {
  /** The platform's id of the message replied to (in the same chat). */
  id: string;
  /** Its author, when the platform gives it. */
  author?: {
    /** The platform's user id. */
    id: string;
    /** Display name. */
    name?: string;
  };
  /** Its text (or the part the user quoted), when the platform gives it. */
  text?: string;
}

/**
 * A message from a platform, normalized by its adapter. One shape for every {@link InboundKind}, so
 * `ChannelContext.receive` takes one type: edits and deletions set `kind` and name the message they
 * change in `platformMessageId`.
 */
export interface InboundMessage {
  /**
   * What this tells the core; see {@link InboundKind}.
   * @default 'message'
   */
  kind?: InboundKind;
  /** The adapter's name. */
  channel: string;
  /** The chat it was posted in. */
  chat: {
    /** The platform's chat id. */
    id: string;
    /** Display name of the chat (group title, or the other person's name in a DM). */
    name?: string;
    /** True for groups and channels, false for direct messages. */
    isGroup: boolean;
  };
  /** Thread id when the message is inside a thread. */
  threadId?: string;
  /**
   * The platform's id of this message; with the chat id it makes the message unique. For an `edit`
   * or a `delete`, the id of the message edited or removed.
   */
  platformMessageId: string;
  /**
   * Who wrote it (for an `edit`, who edited; for a `delete`, who removed it when the platform says,
   * else its author). The core drops, before storing anything, every inbound message whose
   * `sender.id` equals the adapter's `self.id`, so adapters report the bot's own messages unchanged.
   */
  sender: {
    /** The platform's user id. */
    id: string;
    /** Display name; the core falls back to `id` when it is missing. */
    name?: string;
    /** True when the sender is a bot (the core never starts a turn for a bot). */
    isBot?: boolean;
  };
  /** Plain text of the message (captions included); for an `edit` the whole new text; `''` for a `delete`. */
  text: string;
  /** True when the platform marked the bot as mentioned. */
  mentionsBot: boolean;
  /** The message this one replies to, with its author and text when the platform gives them. */
  replyTo?: InboundReplyTo;
  /** Attached files. */
  attachments?: Attachment[];
  /** When it was sent (for an `edit` or a `delete`: when that happened), epoch milliseconds. */
  timestamp: number;
  /**
   * Gateway-internal: the hop count of the agent-to-agent exchange this message answers, set only by
   * the gateway's own `agent` channel from {@link OutboundMessage.hop}. The core reads it only on
   * messages of that channel; platform adapters leave it unset.
   */
  hop?: number;
  /**
   * For a `choice`: the {@link OutboundChoice.id} of the button the sender pressed, exactly as the
   * message carrying the buttons gave it. `text` is then the button's label when the platform gives
   * it (else `''`) and `platformMessageId` the platform's id of the press itself (a callback or
   * interaction id), so a press delivered twice is answered once. A choice is never stored as a
   * message and never starts a turn: it answers the question that showed the buttons.
   */
  choice?: string;
}

/** One button of a message that offers choices (see `ButtonsCapability`). */
export interface OutboundChoice {
  /**
   * Opaque, at most 64 bytes of ASCII (Telegram's `callback_data` limit): the adapter hands it back
   * unchanged as {@link InboundMessage.choice} when the button is pressed.
   */
  id: string;
  /** The button's label, as shown to people. */
  label: string;
}

/**
 * How the text of an outbound message is written.
 * - `markdown`: CommonMark as models write it; the adapter converts it to the platform's markup.
 * - `plain`: text shown as is; the adapter escapes whatever the platform would read as markup.
 */
export type MessageFormat = 'markdown' | 'plain';

/** A message the core asks an adapter to send. */
export interface OutboundMessage {
  /** Text, already within the adapter's `limits.maxMessageLength`. */
  text: string;
  /**
   * How `text` is written. The core sends agents' replies as `markdown` and its own notices
   * (approvals, command answers, errors) as `plain`. When the platform rejects the converted markup,
   * the adapter sends the same text again as plain text, once (see `sendWithPlainFallback`): a reply
   * is never lost to a formatting error.
   */
  format: MessageFormat;
  /** The platform id of a message to reply to. */
  replyTo?: string;
  /** Files to attach (only with {@link FilesCapability}). */
  attachments?: Attachment[];
  /**
   * Stable for one outbox row and part: the same on every redelivery of it. A platform that
   * deduplicates sends may pass it on; the gateway's `agent` channel makes it the platform id of
   * the message it hands to `receive`, so a redelivery is stored once.
   */
  idempotencyKey?: string;
  /** The session whose turn wrote the message, when one did (the gateway's notices have none). */
  sessionId?: string;
  /**
   * True for the first message of a reply streamed by edits: the core will edit it as the reply
   * grows. An adapter whose platform edits some kinds of message better than others (Feishu edits a
   * card without limit, a text only twenty times) sends that kind.
   */
  streaming?: boolean;
  /**
   * Gateway-internal: for a reply to another agent, the hop count of the exchange it answers; read
   * only by the gateway's `agent` channel (platform adapters ignore it).
   */
  hop?: number;
  /**
   * Buttons to show under the message, read only by adapters with `ButtonsCapability` (others
   * ignore it; the core then writes the options into `text` as a numbered list instead).
   */
  choices?: OutboundChoice[];
}

/** What a platform returned for a sent message. */
export interface SendReceipt {
  /** The platform's id of the sent message. */
  platformMessageId: string;
}

/** Static limits of a platform. */
export interface ChannelLimits {
  /**
   * The longest text one message may hold, in UTF-16 code units: a whole number of at least 2
   * (the gateway refuses a channel with any other value when it is registered).
   */
  maxMessageLength: number;
  /**
   * For platforms that count bytes (WeCom): the most UTF-8 bytes one message may hold, as well as
   * `maxMessageLength`. A whole number of at least 4, so that any character fits.
   */
  maxMessageBytes?: number;
}

/** The bot's own account on a platform. */
export interface ChannelIdentity {
  /** The platform's user id of the bot, as inbound messages carry it in `sender.id`. */
  readonly id: string;
  /** The bot's display name. */
  readonly name: string;
}

/** A message of one of a channel's chats as the gateway keeps it ({@link ChannelContext.recentMessages}). */
export interface ChannelHistoryMessage {
  /**
   * The platform's id: the one the adapter gave (`InboundMessage.platformMessageId`), or for the
   * gateway's own message the first `send` returned (a streamed reply: the message it streamed into).
   */
  platformMessageId: string;
  /** `inbound`: from someone in the chat; `outbound`: sent by the gateway. */
  direction: 'inbound' | 'outbound';
  /** The platform's id of the sender of an inbound message. */
  senderId?: string;
  senderName?: string;
  /** The latest text (after edits); an outbound message's whole text, however many parts it went out in. */
  text: string;
  /** How `text` is written: `plain` for inbound messages. */
  format: MessageFormat;
  /** When it was sent, epoch ms (an inbound message: when the platform says). */
  timestamp: number;
  /** When an inbound message was last edited, epoch ms. */
  editedAt?: number;
}

/** What the core gives an adapter when it starts. */
export interface ChannelContext {
  /**
   * Hands one inbound message to the core. Resolves once the message is stored and routed (never
   * after a model call), so an adapter may acknowledge the platform (answer a webhook with 200)
   * only after it resolves.
   * @returns the stored message's id and the sessions it was routed to, or why it was dropped
   * @throws when the message could not be stored; the adapter should let the platform retry.
   */
  receive(message: InboundMessage): Promise<ReceiveResult>;
  /** Logger tagged with the adapter's name. */
  logger: Logger;
  /** Reports connection state changes, shown by `ngb channel ls` and the dashboard. */
  setStatus(status: ChannelStatus): void;
  /**
   * The latest `limit` messages (at most 1,000) of one of this channel's chats, both ways, oldest
   * first: the inbound ones the gateway stored (deleted ones left out) and what it sent there. For an adapter that serves a
   * conversation itself from memory (the web chat), to show it again after a restart. Another
   * channel's chat, or one never stored, has none. The gateway always gives it; a test's context may not.
   */
  recentMessages?(platformChatId: string, limit: number): Promise<ChannelHistoryMessage[]>;
}

/** A login the platform waits for a person to complete before the channel can connect. */
export interface ChannelLogin {
  /** `qr`: scan a QR code holding `code` with the platform's phone app. */
  kind: 'qr';
  /** What the QR code encodes. Short-lived: the adapter reports a new one when it changes. */
  code: string;
  /** What the person does, in one sentence ("WhatsApp → Settings → Linked devices → Link a device"). */
  instructions: string;
}

/**
 * Connection state of an adapter.
 * - `connecting`: opening a connection (at start, or again after a drop). `login` is set while the
 *   platform waits for a person to link the bot (WhatsApp Web's QR code); apps show it to the owner.
 * - `connected`: events arrive.
 * - `degraded`: the connection is open but nothing (no event, no ping, no heartbeat) arrived for longer
 *   than the adapter's watchdog allows; the adapter reconnects by itself. `detail` says what was missed.
 * - `disconnected`: the connection dropped; the adapter (or, for a failed `start`, the core) retries
 *   with backoff. `error` is why it dropped.
 * - `failed`: the platform refused the bot's credentials or permissions (401/403); nothing retries
 *   until the configuration is fixed and the channel restarted. `error` says what to fix.
 */
export type ChannelStatus =
  | { state: 'connecting'; login?: ChannelLogin }
  | { state: 'connected'; detail?: string }
  | { state: 'degraded'; detail: string }
  | { state: 'disconnected'; error?: string }
  | { state: 'failed'; error: string };

/** The states of {@link ChannelStatus}. */
export type ChannelState = ChannelStatus['state'];

/**
 * A chat platform connection. Adapters normalize inbound messages and send outbound ones;
 * everything else (routing, retries, splitting, dropping the bot's own messages) is the core's job.
 * Optional features are the capability interfaces of `channel-capabilities.ts`, detected by type guards.
 */
export interface ChannelAdapter {
  /** Contract version this adapter implements. */
  readonly specificationVersion: 1;
  /** Unique name, used in addresses (`telegram`, `slack`, ...). */
  readonly name: string;
  /** Platform limits the core splits outbound text by. */
  readonly limits: ChannelLimits;
  /**
   * The bot's own account: `undefined` before `start` resolves, set once it has (a getter is fine).
   * The core drops every inbound message whose `sender.id` equals `self.id` before storing it, the same
   * way for every platform; an adapter whose platform has no bot account leaves it `undefined`.
   */
  readonly self?: ChannelIdentity;
  /**
   * Connects and starts delivering inbound messages through `context.receive`. `self` is known once
   * it resolves. It may be called again once `stop` resolved (a reload), each time with its own context.
   * @throws ChannelApiError or ConfigError when it cannot connect.
   */
  start(context: ChannelContext): Promise<void>;
  /** Disconnects; no `receive` happens after it resolves. Idempotent, and harmless before `start`. */
  stop(): Promise<void>;
  /**
   * Sends one message (text within `limits.maxMessageLength`), converting `markdown` to the platform's
   * markup and resending as plain text when the platform rejects that markup.
   * @param address where to send; its `channel` is this adapter's name
   * @returns the platform's id for the sent message
   * @throws ChannelApiError, `retryable` for rate limits and transient failures
   */
  send(address: Address, message: OutboundMessage): Promise<SendReceipt>;
}
