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
