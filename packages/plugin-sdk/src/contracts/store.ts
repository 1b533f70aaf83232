import type { Attachment } from './channel';

/*
 * The Store contract: every record the gateway keeps, as small repositories. Rules shared by all:
 * - Every method is async (a PostgreSQL dialect implements the same contract).
 * - Ids are strings from the store's injected `generateId`; times are epoch milliseconds from its `now`.
 * - `get*` of an unknown id resolves to `undefined`; `update`/`remove` of an unknown id rejects with
 *   `NotFoundError(entity, id)`; a reference to an unknown record on insert rejects with `NotFoundError` too.
 * - Lists are in chronological (creation) order unless a method says otherwise; where a `limit` applies
 *   to a chronological list, the MOST RECENT `limit` records are kept, still oldest first.
 * - Optional fields that have no value are `undefined` on returned records. In patches, `null` clears
 *   a clearable field and `undefined` (or a missing key) leaves it unchanged.
 */

/** How an agent calls its model. Every field falls back to the gateway's defaults. */
export interface AgentModelSettings {
  /** Provider name as registered with the gateway, such as `anthropic` or `openai`. */
  provider?: string;
  /** Model id, such as `claude-sonnet-4-5`. */
  model?: string;
  /** Upper bound of output tokens per model call. */
  maxTokens?: number;
  /** Sampling temperature. */
  temperature?: number;
}

/** An extra host directory mounted into the agent's sandbox (checked by the runtime's mount policy). */
export interface AgentMount {
  /** Absolute path on the host. */
  hostPath: string;
  /** Name under `/workspace/extra/` inside the sandbox. */
  containerPath: string;
  /** Mount read-only. @default true for non-main agents (the runtime enforces it). */
  readonly?: boolean;
}

/** The sandbox an agent's sessions run in. */
export interface AgentSandboxSettings {
  /** `none` (the default) or `egress` (outbound network allowed). */
  network: 'none' | 'egress';
  /** Memory limit in MiB. */
  memoryMb?: number;
  /** CPU limit (fractions allowed). */
  cpus?: number;
  /** Process count limit. */
  pids?: number;
  /** Extra mounts; empty for none. */
  mounts: AgentMount[];
}

/** An agent: a folder with its instructions and memory, a model and a sandbox. */
export interface Agent {
  id: string;
  /** Folder name under the agents directory; unique; matches `^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`, never `global`. */
  folder: string;
  /** Display name. */
  name: string;
  /** The main agent may administer the gateway (register chats, admin tools). At most one. */
  isMain: boolean;
  /** The name the assistant answers to in chats (mention trigger), when it differs from `name`. */
  assistantName?: string;
  /** File name of the instructions/memory file in the folder. @default 'AGENTS.md' */
  instructionsFile: string;
  model: AgentModelSettings;
  sandbox: AgentSandboxSettings;
  /** IANA time zone the agent lives in. @default 'UTC' */
  timezone: string;
  createdAt: number;
  updatedAt: number;
}

/** Input of {@link AgentsRepository.create}. */
export interface NewAgent {
  folder: string;
  name: string;
  isMain: boolean;
  assistantName?: string;
  /** @default 'AGENTS.md' */
  instructionsFile?: string;
  /** @default {} */
  model?: AgentModelSettings;
  /** @default { network: 'none', mounts: [] } */
  sandbox?: Partial<AgentSandboxSettings>;
  /** @default 'UTC' */
  timezone?: string;
}

/** Changes to an agent. `model` and `sandbox` replace the whole settings object. */
export interface AgentPatch {
  folder?: string;
  name?: string;
  isMain?: boolean;
  assistantName?: string | null;
  instructionsFile?: string;
  model?: AgentModelSettings;
  sandbox?: Partial<AgentSandboxSettings>;
  timezone?: string;
}

/** Agents. */
export interface AgentsRepository {
  /**
   * Creates an agent.
   * @throws ConfigError when the folder name is invalid, reserved (`global`, any case) or already used,
   *   or when `isMain` is set and a main agent exists; the message names the folder.
   */
  create(input: NewAgent): Promise<Agent>;
  /** @returns the agent, or undefined when the id is unknown */
  get(id: string): Promise<Agent | undefined>;
  /** @returns the agent using `folder`, or undefined */
  getByFolder(folder: string): Promise<Agent | undefined>;
  /** @returns all agents, oldest first */
  list(): Promise<Agent[]>;
  /**
   * Changes an agent.
   * @throws NotFoundError for an unknown id; ConfigError for the same reasons as `create`
   */
  update(id: string, patch: AgentPatch): Promise<Agent>;
  /**
   * Deletes an agent with everything that belongs to it (wirings, sessions and their inbox, turns and
   * transcript, tasks, destinations, memberships, scoped roles).
   * @throws NotFoundError for an unknown id
   */
  remove(id: string): Promise<void>;
}

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

/** When a wired agent answers: every message, messages matching `pattern`, or only mentions/DMs. */
export type EngageMode = 'always' | 'pattern' | 'mention';
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

/** Chat ↔ agent wirings (many-to-many, one per pair). */
export interface WiringsRepository {
  /**
   * Wires an agent to a chat.
   * @throws ConfigError when `engage` is `pattern` without a pattern, the pattern is not a valid regular
   *   expression, or the pair is already wired; NotFoundError for an unknown chat or agent
   */
  add(input: NewWiring): Promise<Wiring>;
  /** @returns undefined for an unknown id */
  get(id: string): Promise<Wiring | undefined>;
  /** @returns the chat's wirings, highest `priority` first, then oldest first */
  listForChat(chatId: string): Promise<Wiring[]>;
  /** @returns the agent's wirings, oldest first */
  listForAgent(agentId: string): Promise<Wiring[]>;
  /** @throws NotFoundError for an unknown id */
  remove(id: string): Promise<void>;
}

/** Roles a user can hold, globally or for one agent. */
export type UserRoleName = 'owner' | 'admin';

/** A person on a platform. */
export interface User {
  id: string;
  channel: string;
  /** The platform's user id. Unique together with `channel`. */
  platformUserId: string;
  name?: string;
  createdAt: number;
  updatedAt: number;
}

/** A role held by a user. */
export interface UserRole {
  userId: string;
  role: UserRoleName;
  /** The agent the role is limited to; undefined for a global role. */
  agentId?: string;
  grantedAt: number;
}

/** Users and their roles. */
export interface UsersRepository {
  /** Creates the user, or updates the name of the existing one (when `name` is given). */
  upsert(input: { channel: string; platformUserId: string; name?: string }): Promise<User>;
  /** @returns undefined for an unknown id */
  get(id: string): Promise<User | undefined>;
  /** @returns undefined when unknown */
  getByPlatformId(channel: string, platformUserId: string): Promise<User | undefined>;
  /** @returns all users, oldest first */
  list(): Promise<User[]>;
  /**
   * Grants a role, globally or for one agent. Granting a role the user already holds is a no-op.
   * @throws NotFoundError for an unknown user or agent
   */
  grantRole(userId: string, role: UserRoleName, agentId?: string): Promise<UserRole>;
  /** @returns true when the role was held and is now revoked, false when it was not held */
  revokeRole(userId: string, role: UserRoleName, agentId?: string): Promise<boolean>;
  /** @returns the user's roles in the order they were granted */
  listRoles(userId: string): Promise<UserRole[]>;
  /**
   * @param filter.agentId also include users holding the role for this agent (global holders always count)
   * @returns users holding `role`, in the order the roles were granted, each once
   */
  listWithRole(role: UserRoleName, filter?: { agentId?: string }): Promise<User[]>;
}

/** Users allowed to talk to an agent in chats with a `strict` policy. */
export interface AgentMembersRepository {
  /**
   * Adds a member; adding an existing member is a no-op.
   * @throws NotFoundError for an unknown agent or user
   */
  add(agentId: string, userId: string): Promise<void>;
  /** @returns true when the user was a member and was removed */
  remove(agentId: string, userId: string): Promise<boolean>;
  isMember(agentId: string, userId: string): Promise<boolean>;
  /** @returns the members, in the order they were added */
  list(agentId: string): Promise<User[]>;
}

/** Sessions are `active` until closed; a closed session is kept for history. */
export type SessionStatus = 'active' | 'closed';

/** One conversation state of an agent: its transcript, inbox and sandbox belong to it. */
export interface Session {
  id: string;
  agentId: string;
  /** The chat, or undefined for an agent-shared session. */
  chatId?: string;
  /** The thread, for per-thread sessions. */
  threadId?: string;
  status: SessionStatus;
  createdAt: number;
  updatedAt: number;
  lastActivityAt: number;
}

/** What identifies a session. At most one ACTIVE session exists per key. */
export interface SessionKey {
  agentId: string;
  chatId: string | null;
  threadId: string | null;
}

/** Sessions. */
export interface SessionsRepository {
  /**
   * Returns the active session for the key, creating it when there is none (a closed one is not reused).
   * @returns the session and whether it was just created
   * @throws NotFoundError for an unknown agent or chat
   */
  getOrCreate(key: SessionKey): Promise<{ session: Session; created: boolean }>;
  /** @returns undefined for an unknown id */
  get(id: string): Promise<Session | undefined>;
  /** @returns sessions, oldest first, optionally filtered */
  list(filter?: { agentId?: string; chatId?: string; status?: SessionStatus }): Promise<Session[]>;
  /**
   * @throws NotFoundError for an unknown id; ConfigError when reactivating a session whose key has
   *   another active session
   */
  update(id: string, patch: { status?: SessionStatus; lastActivityAt?: number }): Promise<Session>;
  /**
   * Finds sessions whose id starts with `prefix` (case-sensitive), for ids typed in the CLI.
   * @returns the matches, oldest first; empty for an empty prefix
   */
  findByIdPrefix(prefix: string): Promise<Session[]>;
}

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
  replyToPlatformId?: string;
  attachments: Attachment[];
  /** When the platform says it was sent. */
  timestamp: number;
  direction: MessageDirection;
  /** When it was stored. */
  createdAt: number;
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
  /** @default [] */
  attachments?: Attachment[];
  timestamp: number;
  direction: MessageDirection;
}

/** Messages and full-text search. */
export interface MessagesRepository {
  /**
   * Stores a message. A message already stored (same chat + platform message id) is NOT an error: it is
   * left unchanged and returned with `inserted: false`.
   * @throws NotFoundError for an unknown chat
   */
  insert(input: NewStoredMessage): Promise<{ message: StoredMessage; inserted: boolean }>;
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
   * words. Text with no words gives `[]`.
   * @param options.limit @default 20
   * @returns best matches first (ties newest first)
   */
  search(text: string, options?: { chatId?: string; limit?: number }): Promise<StoredMessage[]>;
}

/** What an inbox row asks of a session: answer a message, keep a message as context, or run a task. */
export type InboxKind = 'message' | 'context' | 'task';

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
  /** @returns ids of sessions with unprocessed `message` or `task` rows, the one waiting longest first */
  sessionsWithPending(): Promise<string[]>;
}

/** What started a turn. */
export type TurnTrigger = 'message' | 'task' | 'manual';
/** Life of a turn. */
export type TurnStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** One run of the agent loop for a session. */
export interface Turn {
  id: string;
  sessionId: string;
  trigger: TurnTrigger;
  status: TurnStatus;
  /** How many times it was started. */
  attempts: number;
  /** Last error message. */
  error?: string;
  /** When a failed attempt may be retried. */
  nextAttemptAt?: number;
  inputTokens: number;
  outputTokens: number;
  cacheTokens: number;
  costUsd: number;
  startedAt?: number;
  endedAt?: number;
  createdAt: number;
  updatedAt: number;
}

/** Changes to a turn; `null` clears the optional fields. */
export interface TurnPatch {
  status?: TurnStatus;
  attempts?: number;
  error?: string | null;
  nextAttemptAt?: number | null;
  inputTokens?: number;
  outputTokens?: number;
  cacheTokens?: number;
  costUsd?: number;
  startedAt?: number | null;
  endedAt?: number | null;
}

/** Turns. */
export interface TurnsRepository {
  /**
   * Creates a `queued` turn with no attempts and zero usage.
   * @throws NotFoundError for an unknown session
   */
  create(input: { sessionId: string; trigger: TurnTrigger }): Promise<Turn>;
  /** @returns undefined for an unknown id */
  get(id: string): Promise<Turn | undefined>;
  /** @throws NotFoundError for an unknown id */
  update(id: string, patch: TurnPatch): Promise<Turn>;
  /** @param options.limit keep the most recent `limit` */
  listForSession(sessionId: string, options?: { limit?: number }): Promise<Turn[]>;
  /** @returns `queued` and `running` turns of all sessions, oldest first (to resume after a restart) */
  listUnfinished(): Promise<Turn[]>;
}

/** Author of a transcript entry. */
export type TranscriptRole = 'user' | 'assistant' | 'tool';

/** One entry of a session's model conversation. */
export interface TranscriptEntry {
  id: string;
  sessionId: string;
  turnId?: string;
  role: TranscriptRole;
  /** Any JSON value (the core's message format). */
  content: unknown;
  createdAt: number;
}

/** Transcript of each session. */
export interface TranscriptRepository {
  /**
   * Appends entries in the given order.
   * @param entries `content` must be JSON-serializable
   * @returns the stored entries
   * @throws NotFoundError for an unknown session or turn; TypeError for content JSON cannot hold
   */
  append(
    sessionId: string,
    entries: ReadonlyArray<{ turnId?: string; role: TranscriptRole; content: unknown }>,
  ): Promise<TranscriptEntry[]>;
  /** @param options.limit keep the most recent `limit` (still oldest first) */
  list(sessionId: string, options?: { limit?: number }): Promise<TranscriptEntry[]>;
  /** Deletes the session's transcript. @returns how many entries were deleted */
  clear(sessionId: string): Promise<number>;
  count(sessionId: string): Promise<number>;
}

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
  replyToPlatformId?: string;
  status: OutboxStatus;
  attempts: number;
  error?: string;
  /** When the next delivery attempt may happen. */
  nextAttemptAt?: number;
  /** For `failed` entries: true when the platform refused for good, false when retries ran out. */
  permanentFailure: boolean;
  platformMessageId?: string;
  sentAt?: number;
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
  replyToPlatformId?: string;
}

/** Outbound delivery queue. */
export interface OutboxRepository {
  /**
   * Queues a message. A `key` already queued returns the existing entry with `inserted: false`.
   * @throws NotFoundError for an unknown session or turn
   */
  enqueue(input: NewOutboxEntry): Promise<{ entry: OutboxEntry; inserted: boolean }>;
  /** @returns undefined for an unknown id */
  get(id: string): Promise<OutboxEntry | undefined>;
  /** @returns `pending` entries (whatever their `nextAttemptAt`), oldest first */
  listPending(filter?: { channel?: string; chatId?: string }): Promise<OutboxEntry[]>;
  /** Marks delivered. @throws NotFoundError for an unknown id */
  markSent(id: string, platformMessageId: string, sentAt: number): Promise<OutboxEntry>;
  /** Gives up: status `failed`, one more attempt counted. @throws NotFoundError for an unknown id */
  markFailed(id: string, error: string, options: { permanent: boolean }): Promise<OutboxEntry>;
  /** Counts a failed attempt and keeps it pending until `nextAttemptAt`. @throws NotFoundError */
  bumpAttempt(id: string, error: string, nextAttemptAt: number): Promise<OutboxEntry>;
  /** @returns chats with pending entries, the one waiting longest first */
  pendingChats(): Promise<Array<{ channel: string; chatId: string }>>;
}

/** How a task repeats: a cron expression, an interval in ms, or one ISO/epoch time. */
export type TaskScheduleType = 'cron' | 'interval' | 'once';
/** Whether a task runs in its chat's session (`group`) or in a fresh one (`isolated`). */
export type TaskContextMode = 'group' | 'isolated';
/** Life of a task. */
export type TaskStatus = 'active' | 'paused' | 'completed' | 'cancelled';

/** A scheduled prompt. The store keeps it; the core validates schedules and computes `nextRunAt`. */
export interface ScheduledTask {
  id: string;
  agentId: string;
  sessionId?: string;
  /** The store's chat id the task reports to. */
  chatId?: string;
  prompt: string;
  scheduleType: TaskScheduleType;
  scheduleValue: string;
  timezone: string;
  contextMode: TaskContextMode;
  status: TaskStatus;
  nextRunAt?: number;
  lastRunAt?: number;
  createdAt: number;
  updatedAt: number;
}

/** Input of {@link TasksRepository.create}. */
export interface NewScheduledTask {
  agentId: string;
  sessionId?: string;
  chatId?: string;
  prompt: string;
  scheduleType: TaskScheduleType;
  scheduleValue: string;
  timezone: string;
  contextMode: TaskContextMode;
  nextRunAt?: number;
  /** @default 'active' */
  status?: TaskStatus;
}

/** Changes to a task; `null` clears the optional fields. */
export interface TaskPatch {
  status?: TaskStatus;
  nextRunAt?: number | null;
  lastRunAt?: number | null;
  prompt?: string;
  scheduleType?: TaskScheduleType;
  scheduleValue?: string;
  timezone?: string;
}

/** Scheduled tasks. */
export interface TasksRepository {
  /** @throws NotFoundError for an unknown agent, session or chat */
  create(input: NewScheduledTask): Promise<ScheduledTask>;
  /** @returns undefined for an unknown id */
  get(id: string): Promise<ScheduledTask | undefined>;
  list(filter?: { agentId?: string; status?: TaskStatus }): Promise<ScheduledTask[]>;
  /** @throws NotFoundError for an unknown id */
  update(id: string, patch: TaskPatch): Promise<ScheduledTask>;
  /** @returns `active` tasks with `nextRunAt <= now`, earliest `nextRunAt` first */
  due(now: number): Promise<ScheduledTask[]>;
  /** @returns the earliest `nextRunAt` of `active` tasks (to arm one timer), or undefined */
  nextDueAt(): Promise<number | undefined>;
  /** Deletes a task and its runs. @throws NotFoundError for an unknown id */
  remove(id: string): Promise<void>;
}

/** One run of a task. */
export interface TaskRun {
  id: string;
  taskId: string;
  startedAt: number;
  endedAt?: number;
  status: 'succeeded' | 'failed';
  result?: string;
  error?: string;
}

/** History of task runs. */
export interface TaskRunsRepository {
  /** @throws NotFoundError for an unknown task */
  add(input: Omit<TaskRun, 'id'>): Promise<TaskRun>;
  /** @param options.limit keep the most recent `limit` runs (still oldest first) */
  listForTask(taskId: string, options?: { limit?: number }): Promise<TaskRun[]>;
}

/** Approval to serve a new chat, or to let an unknown sender talk. */
export type ApprovalKind = 'chat' | 'sender';
/** Life of an approval. */
export type ApprovalStatus = 'pending' | 'approved' | 'denied';

/** A request waiting for the owner's decision, answered with its one-time code. */
export interface Approval {
  id: string;
  kind: ApprovalKind;
  chatId: string;
  userId?: string;
  messageId?: string;
  /** One-time code the owner answers with. Unique. */
  code: string;
  status: ApprovalStatus;
  requestedAt: number;
  resolvedAt?: number;
}

/** Approvals. */
export interface ApprovalsRepository {
  /**
   * @throws NotFoundError for an unknown chat, user or message; ConfigError when the code is already used
   */
  create(input: {
    kind: ApprovalKind;
    chatId: string;
    userId?: string;
    messageId?: string;
    code: string;
    requestedAt: number;
  }): Promise<Approval>;
  /** @returns undefined for an unknown id */
  get(id: string): Promise<Approval | undefined>;
  /** @returns the oldest pending approval of this kind for the chat (and user, when given), or undefined */
  findPending(query: { kind: ApprovalKind; chatId: string; userId?: string }): Promise<Approval | undefined>;
  /** @returns undefined for an unknown code */
  getByCode(code: string): Promise<Approval | undefined>;
  /**
   * Decides a pending approval. A decision is final: resolving an approval that is no longer pending
   * returns it unchanged.
   * @throws NotFoundError for an unknown id
   */
  resolve(id: string, status: 'approved' | 'denied', resolvedAt: number): Promise<Approval>;
  list(filter?: { status?: ApprovalStatus }): Promise<Approval[]>;
}

/** Where a destination points: a chat (store id) or another agent. */
export type DestinationTarget = { type: 'chat'; chatId: string } | { type: 'agent'; agentId: string };

/** A named target an agent can send to (`send_message` to "family", `send_to_agent` "research"). */
export interface Destination {
  id: string;
  agentId: string;
  name: string;
  target: DestinationTarget;
  createdAt: number;
  updatedAt: number;
}

/** Named destinations per agent. */
export interface DestinationsRepository {
  /**
   * Creates or replaces the destination named `name` of the agent.
   * @throws NotFoundError for an unknown agent or target
   */
  set(input: { agentId: string; name: string; target: DestinationTarget }): Promise<Destination>;
  /** @returns undefined when the agent has no destination of that name */
  get(agentId: string, name: string): Promise<Destination | undefined>;
  /** @returns the agent's destinations, oldest first */
  list(agentId: string): Promise<Destination[]>;
  /** @throws NotFoundError (entity `destination`, id `agentId/name`) when there is none */
  remove(agentId: string, name: string): Promise<void>;
}

/** Small JSON values by namespace and key (plugin state, cursors, settings). */
export interface KvRepository {
  /** @returns the stored value, or undefined */
  get(namespace: string, key: string): Promise<unknown>;
  /**
   * Stores a JSON-serializable value, replacing any previous one.
   * @throws TypeError when JSON cannot hold the value (undefined, a function, a bigint, a cycle)
   */
  set(namespace: string, key: string, value: unknown): Promise<void>;
  /** @returns true when a value was deleted */
  delete(namespace: string, key: string): Promise<boolean>;
}

/** Every repository; what a transaction callback receives. */
export interface StoreRepositories {
  readonly agents: AgentsRepository;
  readonly chats: ChatsRepository;
  readonly wirings: WiringsRepository;
  readonly users: UsersRepository;
  readonly agentMembers: AgentMembersRepository;
  readonly sessions: SessionsRepository;
  readonly messages: MessagesRepository;
  readonly inbox: InboxRepository;
  readonly turns: TurnsRepository;
  readonly transcript: TranscriptRepository;
  readonly outbox: OutboxRepository;
  readonly tasks: TasksRepository;
  readonly taskRuns: TaskRunsRepository;
  readonly approvals: ApprovalsRepository;
  readonly destinations: DestinationsRepository;
  readonly kv: KvRepository;
}

/** The gateway's persistent state. */
export interface Store extends StoreRepositories {
  /** Contract version this store implements. */
  readonly specificationVersion: 1;
  /**
   * Runs `fn` in one transaction: everything done through `tx` commits together when `fn` resolves,
   * and is rolled back when it rejects (the rejection is passed on). Calls on the store itself are
   * not part of the transaction: implementations may queue or refuse them while it is open, so use
   * only `tx` inside `fn`. Transactions do not nest.
   * @returns what `fn` resolved to
   */
  transaction<T>(fn: (tx: StoreRepositories) => Promise<T>): Promise<T>;
  /** Closes the store (and the database connection if the store opened it). Idempotent. */
  close(): Promise<void>;
}
