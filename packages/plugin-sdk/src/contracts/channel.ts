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

/** A message from a platform, normalized by its adapter. */
export interface InboundMessage {
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
  /** The platform's id of this message; with the chat id it makes the message unique. */
  platformMessageId: string;
  /** Who wrote it. */
  sender: {
    /** The platform's user id. */
    id: string;
    /** Display name; the core falls back to `id` when it is missing. */
    name?: string;
    /** True when the sender is a bot (the core ignores its own messages). */
    isBot?: boolean;
  };
  /** Plain text of the message (captions included). */
  text: string;
  /** True when the platform marked the bot as mentioned. */
  mentionsBot: boolean;
  /** The platform id of the message this one replies to. */
  replyTo?: string;
  /** Attached files. */
  attachments?: Attachment[];
  /** When it was sent, epoch milliseconds. */
  timestamp: number;
}

/** A message the core asks an adapter to send. */
export interface OutboundMessage {
  /** Text, already within the adapter's `limits.maxMessageLength`. */
  text: string;
  /** The platform id of a message to reply to. */
  replyTo?: string;
  /** Files to attach (only with {@link FilesCapability}). */
  attachments?: Attachment[];
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
}

/** Connection state of an adapter. */
export type ChannelStatus =
  | { state: 'connecting' }
  | { state: 'connected'; detail?: string }
  | { state: 'disconnected'; error?: string };

/**
 * A chat platform connection. Adapters normalize inbound messages and send outbound ones;
 * everything else (routing, retries, splitting) is the core's job.
 */
export interface ChannelAdapter {
  /** Contract version this adapter implements. */
  readonly specificationVersion: 1;
  /** Unique name, used in addresses (`telegram`, `slack`, ...). */
  readonly name: string;
  /** Platform limits the core splits outbound text by. */
  readonly limits: ChannelLimits;
  /**
   * Connects and starts delivering inbound messages through `context.receive`.
   * @throws ChannelApiError or ConfigError when it cannot connect.
   */
  start(context: ChannelContext): Promise<void>;
  /** Disconnects; no `receive` happens after it resolves. Idempotent. */
  stop(): Promise<void>;
  /**
   * Sends one message (text within `limits.maxMessageLength`).
   * @param address where to send; its `channel` is this adapter's name
   * @returns the platform's id for the sent message
   * @throws ChannelApiError, `retryable` for rate limits and transient failures
   */
  send(address: Address, message: OutboundMessage): Promise<SendReceipt>;
}

/** Adapters that can show a typing indicator. */
export interface TypingCapability {
  /** Shows "typing..." in the chat for a few seconds. */
  sendTyping(address: Address): Promise<void>;
}

/** Adapters that can edit a sent message. */
export interface EditCapability {
  /** Replaces the text of a message this bot sent. */
  edit(address: Address, platformMessageId: string, text: string): Promise<void>;
}

/** Adapters that can react to a message with an emoji. */
export interface ReactCapability {
  /** Adds `emoji` as a reaction to the message. */
  react(address: Address, platformMessageId: string, emoji: string): Promise<void>;
}

/** Adapters that can send files. */
export interface FilesCapability {
  /** Sends a file with an optional caption. */
  sendFile(address: Address, file: { name: string; data: Uint8Array; mimeType?: string; caption?: string }): Promise<SendReceipt>;
}

/** Adapters whose platform has threads and can start or reply in one. */
export interface ThreadsCapability {
  /** True: `send` honours `address.threadId`. */
  readonly supportsThreads: true;
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

/** True when the adapter implements {@link ReactCapability}. */
export function canReact<T extends ChannelAdapter>(adapter: T): adapter is T & ReactCapability {
  return hasFunction(adapter, 'react');
}

/** True when the adapter implements {@link FilesCapability}. */
export function canSendFiles<T extends ChannelAdapter>(adapter: T): adapter is T & FilesCapability {
  return hasFunction(adapter, 'sendFile');
}

/** True when the adapter implements {@link ThreadsCapability}. */
export function hasThreads<T extends ChannelAdapter>(adapter: T): adapter is T & ThreadsCapability {
  return (adapter as Partial<ThreadsCapability>).supportsThreads === true;
}
