/** What started a turn; `command` is an admin command run in the session's turn (`/compact`'s model call). */
export type TurnTrigger = 'message' | 'task' | 'manual' | 'command';
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
  /**
   * What the turn's model calls cost in US dollars; `null` when it is not known (a call was answered
   * by a model with no known price). 0 until the turn has usage.
   */
  costUsd: number | null;
  /** The model that answered the turn's last call, as the API reported it. */
  model?: string;
  /**
   * True once the turn sent a message to the chat it answers (`send_message`), written with that
   * message; then the turn's final text is not sent again as its reply.
   */
  sentMessage: boolean;
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
  /** `null` records that the cost is not known. */
  costUsd?: number | null;
  model?: string | null;
  sentMessage?: boolean;
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
  /**
   * The entry's place in the store's order: an entry appended later has a greater one. Places of
   * deleted entries (a cleared transcript) may be given again.
   */
  seq: number;
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
  /**
   * The session's live entries (not archived), oldest first.
   * @param options.limit keep the most recent `limit` (still oldest first)
   * @param options.after only the entries whose `seq` is greater (what was appended since)
   */
  list(sessionId: string, options?: { limit?: number; after?: number }): Promise<TranscriptEntry[]>;
  /** Deletes the session's transcript, archived entries too. @returns how many entries were deleted */
  clear(sessionId: string): Promise<number>;
  /** How many live (not archived) entries the session has. */
  count(sessionId: string): Promise<number>;
  /**
   * The `seq` of the session's oldest live (not archived) entry, or undefined when it has none. Cheap
   * whatever the transcript's length: with the last entry, it tells a cached copy is still whole.
   */
  firstSeq(sessionId: string): Promise<number | undefined>;
  /**
   * Archives the session's live entries whose `seq` is at most `throughSeq`: they leave `list` and
   * `count` (the model no longer sees them) and stay readable through {@link listArchived}.
   * @returns how many entries were archived
   * @throws TypeError when `throughSeq` is not a whole number
   */
  archive(sessionId: string, throughSeq: number): Promise<number>;
  /** The session's archived entries, oldest first. */
  listArchived(sessionId: string): Promise<TranscriptEntry[]>;
}
