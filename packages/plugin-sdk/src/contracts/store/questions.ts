/** Life of a question: waiting for an answer, answered, or past its time without one. */
export type QuestionStatus = 'pending' | 'answered' | 'expired';

/**
 * A question a turn asked a person (the `ask_user` tool) and waits on. Stored when asked, so a turn
 * re-run after a restart finds it again by `key` and resumes with its answer.
 */
export interface Question {
  id: string;
  /** The turn's id and the question's index in the turn (`<turnId>:<index>`). Unique. */
  key: string;
  sessionId: string;
  turnId: string;
  agentId: string;
  /** The store id of the chat the question was sent to. */
  chatId: string;
  threadId?: string;
  text: string;
  /** The options offered, in order (2 to 10). */
  options: string[];
  /** Index into `options` taken when nobody answers in time. */
  defaultOption?: number;
  status: QuestionStatus;
  /** Index into `options` of the answer (or of the default, once expired with one). */
  answer?: number;
  /** The platform user id of who answered. */
  answeredBy?: string;
  /** When the question stops waiting, epoch milliseconds. */
  expiresAt: number;
  createdAt: number;
  /** When it was answered or expired. */
  endedAt?: number;
}

/** Input of {@link QuestionsRepository.create}. */
export interface NewQuestion {
  key: string;
  sessionId: string;
  turnId: string;
  agentId: string;
  chatId: string;
  threadId?: string;
  text: string;
  options: string[];
  defaultOption?: number;
  expiresAt: number;
  createdAt: number;
}

/** Questions turns wait on. */
export interface QuestionsRepository {
  /**
   * Stores a question. A `key` already stored returns the existing question with `inserted: false`.
   * @throws NotFoundError for an unknown session, turn, agent or chat
   */
  create(input: NewQuestion): Promise<{ question: Question; inserted: boolean }>;
  /** @returns undefined for an unknown id */
  get(id: string): Promise<Question | undefined>;
  /** @returns pending questions of the chat, oldest first */
  listPending(chatId: string): Promise<Question[]>;
  /**
   * Ends a pending question: `answered` with the chosen option, or `expired` (with the default as
   * `answer` when it has one). A question that is no longer pending is returned unchanged, so only
   * the first answer counts.
   * @throws NotFoundError for an unknown id
   */
  end(
    id: string,
    outcome: { status: 'answered'; answer: number; answeredBy: string; at: number } | { status: 'expired'; at: number },
  ): Promise<Question>;
}
