import type { Address } from '../address';
import type { Attachment, ChannelAdapter, MessageFormat, OutboundChoice, SendReceipt } from './channel';

/** Adapters that can show a typing indicator. */
export interface TypingCapability {
  /**
   * Shows "typing..." in the chat for a few seconds (the core repeats it while a turn runs).
   * @throws ChannelApiError; the core logs it and goes on (typing is best effort)
   */
  sendTyping(address: Address): Promise<void>;
}

/** Adapters that can edit a message the bot sent. */
export interface EditCapability {
  /**
   * Replaces the whole text of a message this bot sent, with the same markup rule as `send` (plain
   * text again when the platform rejects the markup).
   * @param platformMessageId a receipt's id from `send` to the same address
   * @param text the new text, within `limits.maxMessageLength`
   * @param format how `text` is written @default 'plain'
   * @throws ChannelApiError (`retryable` for rate limits); NotFoundError when the message is gone
   */
  edit(address: Address, platformMessageId: string, text: string, format?: MessageFormat): Promise<void>;
}

/** Adapters that can delete a message the bot sent. */
export interface DeleteCapability {
  /**
   * Removes a message this bot sent. Deleting a message that is already gone resolves.
   * @param platformMessageId a receipt's id from `send` to the same address
   * @throws ChannelApiError (`retryable` for rate limits and transient failures)
   */
  delete(address: Address, platformMessageId: string): Promise<void>;
}

/** Adapters that can react to a message with an emoji. */
export interface ReactCapability {
  /**
   * Adds `emoji` as the bot's reaction to the message.
   * @throws ChannelApiError; NotSupportedError for an emoji the platform does not offer
   */
  react(address: Address, platformMessageId: string, emoji: string): Promise<void>;
}

/** A file the core asks an adapter to send. */
export interface OutboundFile {
  /** File name shown to people. */
  name: string;
  /** The content. */
  data: Uint8Array;
  /** MIME type when known. */
  mimeType?: string;
  /** Plain text shown with the file. */
  caption?: string;
}

/** Adapters that can send files. */
export interface FilesCapability {
  /**
   * Sends one file with an optional caption.
   * @returns the platform's id of the message holding the file
   * @throws ChannelApiError (`status` 413 when the platform refuses the size)
   */
  sendFile(address: Address, file: OutboundFile): Promise<SendReceipt>;
}

/** What limits the download of an inbound attachment. */
export interface FetchAttachmentOptions {
  /**
   * The most bytes the caller accepts. The adapter rejects with a `ChannelApiError` of `status` 413,
   * before reading, when the platform's announced size is larger; the caller counts the bytes it reads
   * as well and stops past it (an announced size is never trusted).
   */
  maxBytes: number;
  /** Aborts the download. */
  signal?: AbortSignal;
}

/** Adapters that can download the files attached to inbound messages. */
export interface FetchFilesCapability {
  /**
   * Opens the content of an attachment this adapter put on an inbound message (its `reference`).
   * @returns the bytes, read as they arrive
   * @throws ChannelApiError (`status` 413 when the announced size passes `maxBytes`, 404 when the
   *   platform no longer has the file, `retryable` for rate limits and transient failures)
   */
  fetchAttachment(attachment: Attachment, options: FetchAttachmentOptions): Promise<AsyncIterable<Uint8Array>>;
}

/** Adapters whose platform has threads and can start or reply in one. */
export interface ThreadsCapability {
  /** True: `send` honours `address.threadId`, and inbound messages in a thread carry `threadId`. */
  readonly supportsThreads: true;
}

/**
 * Adapters the platform reaches over HTTP. The server mounts each one at `/channels/<name>/webhook`
 * for every method (so verification handshakes reach it) and returns its answer as is.
 */
export interface WebhookCapability {
  /**
   * Answers one HTTP request of the platform (web-standard Request and Response).
   * Ordering and answers:
   * - a request whose signature, secret or token is missing or wrong gets a 4xx (401 or 403) and
   *   `context.receive` is never called for it;
   * - a body that cannot be read as the platform's payload gets a 400, without calling `receive`;
   * - otherwise the adapter calls `context.receive` for each message the request carries and answers
   *   2xx only after every `receive` resolved, so the platform retries what was not stored;
   * - when `receive` throws, the answer is a 5xx (the platform retries; ingest is idempotent);
   * - before `start` resolved or after `stop`, the answer is 503 without calling `receive`.
   * Verification handshakes (a challenge to echo) are answered without calling `receive`.
   * @returns the response to send back; it never rejects for a bad request
   */
  handleWebhook(request: Request): Promise<Response>;
}

/**
 * Adapters that can show buttons under a message and report presses. `send` then renders
 * `OutboundMessage.choices` as buttons (Telegram inline keyboard, Slack Block Kit buttons, Discord
 * message components, the web chat's buttons), and each press reaches `context.receive` as an
 * inbound of kind `choice` carrying the pressed {@link OutboundChoice.id}, from the user who pressed
 * it (the core decides whether that user may answer). The adapter acknowledges the press to the
 * platform within the platform's deadline, whatever the core decided.
 */
export interface ButtonsCapability {
  /** True: `send` shows `choices` as buttons and presses arrive as `choice` inbounds. */
  readonly supportsButtons: true;
}

function hasFunction(value: object, key: string): boolean {
  return typeof (value as Record<string, unknown>)[key] === 'function';
}

/** True when the adapter implements {@link TypingCapability}. */
export function canType<T extends ChannelAdapter>(adapter: T): adapter is T & TypingCapability {
  return hasFunction(adapter, 'sendTyping');
}

/** True when the adapter implements {@link EditCapability}. */
export function canEdit<T extends ChannelAdapter>(adapter: T): adapter is T & EditCapability {
  return hasFunction(adapter, 'edit');
}

/** True when the adapter implements {@link DeleteCapability}. */
export function canDelete<T extends ChannelAdapter>(adapter: T): adapter is T & DeleteCapability {
  return hasFunction(adapter, 'delete');
}

/** True when the adapter implements {@link ReactCapability}. */
export function canReact<T extends ChannelAdapter>(adapter: T): adapter is T & ReactCapability {
  return hasFunction(adapter, 'react');
}

/** True when the adapter implements {@link FilesCapability}. */
export function canSendFiles<T extends ChannelAdapter>(adapter: T): adapter is T & FilesCapability {
  return hasFunction(adapter, 'sendFile');
}

/** True when the adapter implements {@link ButtonsCapability}. */
export function canShowButtons<T extends ChannelAdapter>(adapter: T): adapter is T & ButtonsCapability {
  return (adapter as Partial<ButtonsCapability>).supportsButtons === true;
}

/** True when the adapter implements {@link FetchFilesCapability}. */
export function canFetchFiles<T extends ChannelAdapter>(adapter: T): adapter is T & FetchFilesCapability {
  return hasFunction(adapter, 'fetchAttachment');
}

/** True when the adapter implements {@link ThreadsCapability}. */
export function hasThreads<T extends ChannelAdapter>(adapter: T): adapter is T & ThreadsCapability {
  return (adapter as Partial<ThreadsCapability>).supportsThreads === true;
}

/** True when the adapter implements {@link WebhookCapability}. */
export function canHandleWebhooks<T extends ChannelAdapter>(adapter: T): adapter is T & WebhookCapability {
  return hasFunction(adapter, 'handleWebhook');
}
