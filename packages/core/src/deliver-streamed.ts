import {
  type Address,
  type ChannelAdapter,
  canDelete,
  type EditCapability,
  type OutboundMessage,
  type OutboxEntry,
  type OutboxRepository,
} from '@ngb/plugin-sdk';

/** What a message the final text no longer needs shows when the channel cannot delete it. */
const retiredText = '(continued above)';

/** What completing a streamed reply needs. */
export interface StreamedReply {
  adapter: ChannelAdapter & EditCapability;
  outbox: Pick<OutboxRepository, 'recordStreamMessage'>;
  entry: OutboxEntry;
  address: Address;
  /** The final message, after the plugins' `message:sending`. */
  message: OutboundMessage;
  /** Its parts, within the channel's length limit. */
  parts: readonly string[];
}

/**
 * Puts a streamed reply's final text in place: one edit per message it streamed into, a new message
 * (recorded on the row) only for a part beyond them, and messages the final text no longer needs
 * deleted (or, on a channel that cannot delete, replaced by a short pointer). Edits are idempotent,
 * so a retry after a crash part-way repeats them without sending anything twice.
 * @returns the platform ids holding the parts, in order
 */
export async function completeStreamedReply(reply: StreamedReply): Promise<string[]> {
  const { adapter, entry, address, message, parts } = reply;
  const ids = [...entry.streamMessageIds];
  for (const [index, part] of parts.entries()) {
    const id = ids[index];
    if (id !== undefined) {
      await adapter.edit(address, id, part, message.format);
      continue;
    }
    const receipt = await adapter.send(address, { ...message, text: part, replyTo: undefined });
    ids.push(receipt.platformMessageId);
    await reply.outbox.recordStreamMessage(entry.id, receipt.platformMessageId);
  }
  await retireStreamedMessages(adapter, address, ids.slice(parts.length));
  return ids.slice(0, parts.length);
}

/** Removes streamed messages (a reply a plugin cancelled, or parts the final text does not fill). */
export async function retireStreamedMessages(
  adapter: ChannelAdapter & EditCapability,
  address: Address,
  ids: readonly string[],
): Promise<void> {
  for (const id of ids) {
    if (canDelete(adapter)) await adapter.delete(address, id);
    else await adapter.edit(address, id, retiredText, 'plain');
  }
}
