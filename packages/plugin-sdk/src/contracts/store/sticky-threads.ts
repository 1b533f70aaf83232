/** The thread of a group chat where an agent was engaged, and the session that holds it. */
export interface StickyThread {
  agentId: string;
  chatId: string;
  /** A thread of the chat; the main timeline (no thread) is never sticky. */
  threadId: string;
  /** The session the engaged message went to; stickiness lasts while it is active and not cleared. */
  sessionId: string;
  /** When the agent was last engaged in the thread (epoch ms). */
  engagedAt: number;
}

/**
 * Group threads a `mention-sticky` wiring engages in without a mention: one row per agent, chat and
 * thread, written in the transaction that routes the engaging message.
 */
export interface StickyThreadsRepository {
  /**
   * Records that the agent was engaged in the thread (creates the row or moves its time and session).
   * @throws NotFoundError for an unknown agent, chat or session
   */
  touch(thread: StickyThread): Promise<void>;
  /**
   * When the agent was last engaged in the thread, as one indexed lookup.
   * @returns undefined when it never was, or when the session that recorded it is no longer active
   */
  lastEngagedAt(key: Pick<StickyThread, 'agentId' | 'chatId' | 'threadId'>): Promise<number | undefined>;
  /**
   * Ends the stickiness of every thread recorded for the session (its conversation was cleared).
   * @returns how many threads stop being sticky
   */
  clearForSession(sessionId: string): Promise<number>;
}
