/** One session an inbound message was put in. */
export interface RoutedMessage {
  agentId: string;
  sessionId: string;
  /**
   * `message` starts (or joins) a turn; `context` only rides along with the next one; `answer`
   * answered a question the session's waiting turn asked (`ask_user`), which resumes that turn.
   */
  kind: 'message' | 'context' | 'answer';
}

/**
 * What became of one inbound message: the sessions it was routed to, or why it was dropped.
 * A message can be stored and still dropped (no agent engaged, a sender awaiting approval, an
 * admin command the gateway answered itself): then `messageId` names the stored row.
 */
export type ReceiveResult = { messageId: string; routed: RoutedMessage[] } | { dropped: string; messageId?: string };
