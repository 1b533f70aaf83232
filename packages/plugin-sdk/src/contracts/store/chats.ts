/** Who may talk to the agents of a chat when the sender is not known. */
export type UnknownSenderPolicy = 'strict' | 'request_approval' | 'public';
/** Whether the gateway serves a chat: new chats wait in `pending` until approved. */
export type ChatStatus = 'active' | 'pending' | 'denied';

/** A conversation on a platform (a group, a channel or a direct message). */
export interface Chat {
  id: string;
  /** Channel adapter name, such as `telegram`. */
  channel: string;
  /** The platform's id of the chat. Unique together with `channel`. */
  platformChatId: string;
  name: string;
  isGroup: boolean;
  unknownSenderPolicy: UnknownSenderPolicy;
  status: ChatStatus;
  createdAt: number;
  updatedAt: number;
}

/** Input of {@link ChatsRepository.upsert}. */
export interface ChatUpsert {
  channel: string;
  platformChatId: string;
  name: string;
  isGroup: boolean;
  /** Only used when the chat is created. @default 'pending' */
  status?: ChatStatus;
  /** Only used when the chat is created. @default 'strict' */
  unknownSenderPolicy?: UnknownSenderPolicy;
}

/** Changes to a chat. */
export interface ChatPatch {
  name?: string;
  unknownSenderPolicy?: UnknownSenderPolicy;
  status?: ChatStatus;
}

/** Chats. */
export interface ChatsRepository {
  /**
   * Creates the chat, or refreshes `name` and `isGroup` of the existing one (same channel + platform id)
   * keeping its id, policy and status.
   * @returns the chat as stored
   */
  upsert(input: ChatUpsert): Promise<Chat>;
  /** @returns the chat, or undefined */
  get(id: string): Promise<Chat | undefined>;
  /** @returns the chat with this platform id on this channel, or undefined */
  getByPlatformId(channel: string, platformChatId: string): Promise<Chat | undefined>;
  /** @returns chats, oldest first, optionally only those of one channel or status */
  list(filter?: { channel?: string; status?: ChatStatus }): Promise<Chat[]>;
  /** @throws NotFoundError for an unknown id */
  update(id: string, patch: ChatPatch): Promise<Chat>;
}

/**
 * When a wired agent answers: every message, messages matching `pattern`, only mentions/DMs, or
 * `mention-sticky`: mentions, and then every message of a group thread the agent was mentioned in
 * (until the session is cleared or the thread was idle for the gateway's `stickyIdleMs`).
 */
export type EngageMode = 'always' | 'pattern' | 'mention' | 'mention-sticky';
/** Which session a message of a chat goes to: one per chat, one per thread, or one per agent. */
export type SessionMode = 'shared' | 'per-thread' | 'agent-shared';

/** A link between a chat and an agent. */
export interface Wiring {
  id: string;
  chatId: string;
  agentId: string;
  engage: EngageMode;
  /** Case-insensitive regular expression (`new RegExp(pattern, 'i')`); set when `engage` is `pattern`. */
  pattern?: string;
  sessionMode: SessionMode;
  /** Higher goes first when several agents are wired to a chat. */
  priority: number;
  /** Keep messages that did not engage the agent as context for its next turn. */
  accumulate: boolean;
  createdAt: number;
}

/** Input of {@link WiringsRepository.add}. */
export interface NewWiring {
  chatId: string;
  agentId: string;
  engage: EngageMode;
  pattern?: string;
  sessionMode: SessionMode;
  /** @default 0 */
  priority?: number;
  /** @default false */
  accumulate?: boolean;
}

/** Changes to a wiring; `pattern: null` clears the pattern. */
export interface WiringPatch {
  engage?: EngageMode;
  pattern?: string | null;
  sessionMode?: SessionMode;
  priority?: number;
  accumulate?: boolean;
}

/** Chat ↔ agent wirings (many-to-many, one per pair). */
export interface WiringsRepository {
  /**
   * Wires an agent to a chat.
   * @throws ConfigError when `engage` is `pattern` without a pattern, the pattern is not a valid regular
   *   expression, or the pair is already wired; NotFoundError for an unknown chat or agent
   */
  add(input: NewWiring): Promise<Wiring>;
  /**
   * Changes how a wired agent engages, keeping the wiring's id, chat and agent. The result is checked
   * as `add` checks a new wiring, before anything is written.
   * @throws NotFoundError for an unknown id; ConfigError when the result has engage `pattern` without
   *   a pattern, or a pattern that is not a valid regular expression
   */
  update(id: string, patch: WiringPatch): Promise<Wiring>;
  /** @returns undefined for an unknown id */
  get(id: string): Promise<Wiring | undefined>;
  /** @returns the chat's wirings, highest `priority` first, then oldest first */
  listForChat(chatId: string): Promise<Wiring[]>;
  /** @returns the agent's wirings, oldest first */
  listForAgent(agentId: string): Promise<Wiring[]>;
  /** @throws NotFoundError for an unknown id */
  remove(id: string): Promise<void>;
}
