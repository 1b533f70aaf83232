import type { InboundMessage } from '../contracts/channel';

/**
 * Fills in what a test leaves out of an inbound message: a DM from `user-1` in chat `chat-1`, a fresh
 * message id, now. Edits and deletions keep the id they name.
 */
export function completeInbound(
  channel: string,
  sequence: number,
  message: Partial<InboundMessage> & { text: string },
): InboundMessage {
  return {
    channel,
    chat: { id: 'chat-1', isGroup: false },
    platformMessageId: `in-${sequence}-${Date.now()}`,
    sender: { id: 'user-1' },
    mentionsBot: false,
    timestamp: Date.now(),
    ...message,
  };
}
