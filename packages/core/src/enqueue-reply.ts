import type { NewOutboxEntry, OutboxRepository } from '@ngb/plugin-sdk';
import type { ReplyStream } from './reply-stream';

/**
 * The text a turn's reply commits with: its own, or, when the turn has none but its reply already
 * shows in the chat (streamed), the streamed text, so the messages are completed rather than left half.
 */
export function replyTextOf(own: string, stream: Pick<ReplyStream, 'shown' | 'text'> | undefined): string {
  if (own !== '' || !stream?.shown()) return own;
  return stream.text().trim();
}

/**
 * Queues a turn's reply in the transaction that commits the turn. When the reply was streamed, its
 * row already exists under the same key: it gets the final text and becomes pending, so delivery
 * edits the streamed messages with it (one reply per turn, never a second message).
 */
export async function enqueueReply(
  outbox: Pick<OutboxRepository, 'enqueue' | 'closeStream'>,
  input: NewOutboxEntry,
): Promise<void> {
  const { entry, inserted } = await outbox.enqueue(input);
  if (!inserted && entry.streaming) await outbox.closeStream(entry.id, input.text);
}
