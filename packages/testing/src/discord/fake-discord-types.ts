import type { FakeDiscordGatewayLog } from './discord-fake-gateway';
import type { FakeDiscordButton, FakeDiscordInteraction } from './discord-fake-interactions';
import type { FakeDiscordChannel, FakeDiscordGuild, FakeDiscordUser } from './discord-fake-payloads';
import type { FakeDiscordFailure, FakeDiscordRequest } from './discord-fake-rest';

/** Options of {@link createFakeDiscordServer}. */
export interface FakeDiscordServerOptions {
  /** The bot token requests must carry. @default 'fake-discord-token' */
  token?: string;
  /** The bot's account. @default { id: '900000000000000001', username: 'ngb-bot', bot: true } */
  bot?: FakeDiscordUser;
  /** Guilds the bot is in. @default one guild `3003` with text channel `2002` (general) */
  guilds?: FakeDiscordGuild[];
  /** HELLO's `heartbeat_interval`, in milliseconds. @default 41250 */
  heartbeatIntervalMs?: number;
  /** Longest `content` accepted (longer gets 400 Invalid Form Body, as Discord answers). @default 2000 */
  maxContentLength?: number;
}

/** A message the bot posted. */
export interface FakeDiscordSentMessage {
  id: string;
  channelId: string;
  /** `content` as sent, markup included. */
  content: string;
  /** Message flags (4 = SUPPRESS_EMBEDS). */
  flags: number;
  /** The message it replies to. */
  replyTo?: string;
  /** `allowed_mentions` as sent. */
  allowedMentions?: unknown;
  files: Array<{ filename: string; contentType: string; size: number; data: Uint8Array }>;
  /** The buttons of its action rows, in order (none: undefined). */
  buttons?: FakeDiscordButton[];
  /** Its action rows as sent (with buttons only). */
  components?: unknown[];
}

/** A message as a person posts it, for {@link FakeDiscordServer.injectMessage}. */
export interface FakeDiscordInbound {
  channelId: string;
  author: FakeDiscordUser;
  content: string;
  /** Server nickname of the author (guild messages). */
  nick?: string;
  /** Users mentioned; `<@id>` of the bot in `content` adds the bot. */
  mentions?: FakeDiscordUser[];
  /** A message of the same channel this one replies to. */
  replyTo?: string;
  attachments?: Array<{ filename: string; contentType: string; data: Uint8Array }>;
}

/** The running fake. */
export interface FakeDiscordServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The REST base for discord.js's `rest.api`: `<url>/api`. */
  readonly apiUrl: string;
  readonly token: string;
  readonly bot: FakeDiscordUser;
  /** Messages the bot posted, in order, as posted (edits are in `edits`; deleted ones stay). */
  readonly sent: FakeDiscordSentMessage[];
  readonly edits: Array<{ channelId: string; messageId: string; content: string; flags: number }>;
  readonly deletions: Array<{ channelId: string; messageId: string }>;
  readonly typing: Array<{ channelId: string }>;
  /** Every REST and CDN request with the status answered. */
  readonly requests: FakeDiscordRequest[];
  readonly gateway: FakeDiscordGatewayLog;
  /** Posts a message as a person (MESSAGE_CREATE; DMs carry `channel_type: 1`). @returns its payload */
  injectMessage(input: FakeDiscordInbound): Record<string, unknown>;
  /** Edits a message (MESSAGE_UPDATE with the whole message). */
  injectEdit(input: { channelId: string; messageId: string; content: string }): Record<string, unknown>;
  /** Deletes a message (MESSAGE_DELETE). */
  injectDelete(input: { channelId: string; messageId: string }): void;
  /** Creates a channel (CHANNEL_CREATE) or, with `parentId`, a thread (THREAD_CREATE) in the first guild. */
  addChannel(channel: FakeDiscordChannel): void;
  /** Presses of buttons, with the callbacks the bot answered them with. */
  readonly interactions: FakeDiscordInteraction[];
  /**
   * A person presses a button of a message the bot sent (as the message holds it now): dispatches
   * INTERACTION_CREATE (type 3, component type 2). @returns the interaction's id, token and payload
   */
  pressButton(input: { messageId: string; customId: string; user: FakeDiscordUser; nick?: string }): {
    id: string;
    token: string;
    payload: Record<string, unknown>;
  };
  /** Dispatches an INTERACTION_CREATE payload again (the same press delivered twice). */
  redispatch(payload: Record<string, unknown>): void;
  /** Sends any dispatch event to the bot's session. */
  dispatch(type: string, data: unknown): void;
  /** Makes the next REST call whose path matches fail. */
  failNext(failure: FakeDiscordFailure): void;
  /** Stops answering heartbeats (the socket stays open and events still flow). */
  stopAcking(): void;
  /** Sends nothing at all on any socket, old or new (no HELLO, ACK or event), without closing. */
  goSilent(): void;
  /** Ends {@link stopAcking} and {@link goSilent}. */
  speak(): void;
  /** Answers the next RESUME with INVALID_SESSION (`d: false`), so the client identifies again. */
  invalidateNextResume(): void;
  /** Closes the bot's sockets with `code` (4000 unknown error: the client resumes; 4004: token refused). */
  closeConnections(code?: number, reason?: string): void;
  /** Drops the bot's sockets without a close frame. */
  terminateConnections(): void;
  /** Sockets with an identified or resumed session. */
  attachedConnections(): number;
  close(): Promise<void>;
}
