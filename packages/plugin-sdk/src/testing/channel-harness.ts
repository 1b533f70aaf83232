import type { ChannelAdapter, InboundKind, MessageFormat } from '../contracts/channel';

/** A message as a person on the platform sends it, for the harness to deliver to the adapter. */
export interface HarnessInbound {
  /** A new message, an edit of one, or its deletion. @default 'message' */
  kind?: InboundKind;
  /** The platform's chat id. */
  chatId: string;
  /** A group chat rather than a direct message. @default false */
  isGroup?: boolean;
  /** The thread it is posted in (only for adapters with threads). */
  threadId?: string;
  /** Who sends it (the bot's own `self.id` for the bot's own messages). */
  sender: { id: string; name?: string };
  /** For an edit or a deletion: the platform id of the message it changes, as `receive` reported it. */
  messageId?: string;
  /** The text as typed (an edit's whole new text; ignored for a deletion). */
  text: string;
  /** The platform id of a message of the same chat this one replies to. */
  replyTo?: string;
  /** Files attached to the message, as the person uploaded them (only for adapters that fetch files). */
  attachments?: HarnessAttachment[];
}

/** A person pressing a button under a message of the bot. */
export interface HarnessPress {
  /** The platform's chat id. */
  chatId: string;
  /** The platform id of the bot's message holding the buttons, from its send receipt. */
  platformMessageId: string;
  /** The button's `OutboundChoice.id`. */
  choiceId: string;
  /** Who presses it. */
  sender: { id: string; name?: string };
}

/** A file a person attaches to an inbound message. */
export interface HarnessAttachment {
  /** File name as uploaded. */
  name: string;
  /** MIME type as uploaded. */
  mimeType: string;
  /** The content. */
  data: Uint8Array;
}

/** What the fake platform received from the adapter, texts as people see them (markup removed). */
export interface HarnessSent {
  /** Messages, in order. */
  messages: Array<{
    chatId: string;
    threadId?: string;
    platformMessageId: string;
    text: string;
    /** How the platform was asked to read the text (`plain` after a rejected markup was resent). */
    format: MessageFormat;
    replyTo?: string;
    /** The buttons under the message (adapters with `ButtonsCapability`), in order. */
    buttons?: Array<{ id: string; label: string }>;
  }>;
  /** Edits of sent messages, in order. */
  edits: Array<{ chatId: string; platformMessageId: string; text: string; format: MessageFormat }>;
  /** Deleted messages, in order. */
  deletions: Array<{ chatId: string; platformMessageId: string }>;
  /** Typing indicators, in order. */
  typing: Array<{ chatId: string; threadId?: string }>;
  /** Files, in order. */
  files: Array<{ chatId: string; platformMessageId: string; name: string; size: number; caption?: string }>;
}

/** What the platform does, beyond what the adapter's capabilities tell. */
export interface HarnessPlatform {
  /** A direct chat's id on this platform. @default '1001' */
  directChatId?: string;
  /** A group chat's id on this platform. @default '2002' */
  groupChatId?: string;
  /**
   * The platform has group chats. Without them the group case is skipped and the chat cases use the
   * direct chat. @default true
   */
  groups?: boolean;
  /** The platform delivers the bot's own messages back to it. @default true */
  echoesOwnMessages?: boolean;
  /** Inbound replies name the message they reply to. @default false */
  replies?: boolean;
  /** The platform reports edits of messages. @default false */
  edits?: boolean;
  /** The platform reports deleted messages. @default false */
  deletions?: boolean;
  /** A markdown text whose converted markup the fake platform rejects (so the adapter resends it as plain). */
  rejectedMarkup?: string;
  /**
   * The adapter receives messages. A send-only adapter (a group robot's webhook) says `false`: the
   * cases that need an inbound message skip (its harness's `injectInbound` may simply refuse).
   * @default true
   */
  inbound?: boolean;
}

/**
 * How the channel contract suite drives one adapter: each adapter package supplies one, wired to its
 * fake platform server, and the suite runs every case through it.
 */
export interface ChannelHarness {
  /** Builds a fresh adapter (not started) against a fresh fake platform; called before each case. */
  create(): Promise<ChannelAdapter>;
  /**
   * Makes the fake platform deliver `input` to the adapter created last, the way a person's message
   * reaches it (an update to poll, an event on a socket, or a signed webhook request).
   */
  injectInbound(input: HarnessInbound): Promise<void>;
  /** What the fake platform has received from the adapter created last. */
  sent(): Promise<HarnessSent>;
  /**
   * A person presses a button under a message the adapter sent (required when the adapter has the
   * buttons capability): the platform's own press event (a callback query, an interaction, a block
   * action) reaches the adapter the way the platform delivers it.
   */
  pressButton?(input: HarnessPress): Promise<void>;
  /**
   * Builds the HTTP request the platform would post for `input` (required when the adapter has the
   * webhook capability): signed with the right secret, or with a wrong one.
   */
  webhookRequest?(input: HarnessInbound, options: { signed: boolean }): Request | Promise<Request>;
  /** What the platform does. */
  platform?: HarnessPlatform;
  /** Stops the fake platform after each case. */
  dispose?(): Promise<void>;
}
