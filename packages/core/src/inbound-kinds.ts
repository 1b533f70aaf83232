import type { ChannelAdapter, InboundMessage, ReceiveResult } from '@ngb/plugin-sdk';
import type { EventBus } from './events';
import type { UnitOfWork } from './unit-of-work';

/**
 * True when the bot's own account wrote the message (its sender is the adapter's `self`). Every
 * platform echoes some of the bot's messages (groups, other sessions of the same account); dropping
 * them here, one way for all, keeps a bot from answering itself.
 */
export function isOwnMessage(adapter: Pick<ChannelAdapter, 'self'> | undefined, message: InboundMessage): boolean {
  const self = adapter?.self;
  return self !== undefined && self.id === message.sender.id;
}

/** True for an edit or a deletion of a message posted before (they never start a turn). */
export function changesEarlierMessage(message: InboundMessage): message is InboundMessage & { kind: 'edit' | 'delete' } {
  return message.kind === 'edit' || message.kind === 'delete';
}

/**
 * Applies an edit or a deletion to the stored message it names, in the unit's transaction. It never
 * creates a chat, never stores a new message and never reaches a session: a change to a message the
 * gateway did not keep is dropped.
 */
export async function applyEarlierMessageChange(
  unit: UnitOfWork,
  bus: Pick<EventBus, 'emit'>,
  message: InboundMessage & { kind: 'edit' | 'delete' },
): Promise<ReceiveResult> {
  const store = unit.tx;
  const chat = await store.chats.getByPlatformId(message.channel, message.chat.id);
  const changed =
    chat === undefined
      ? undefined
      : message.kind === 'edit'
        ? await store.messages.edit(chat.id, message.platformMessageId, { text: message.text, editedAt: message.timestamp })
        : await store.messages.markDeleted(chat.id, message.platformMessageId, message.timestamp);
  if (changed === undefined) {
    const reason = `${message.kind} of a message the gateway did not keep`;
    const where = { channel: message.channel, chatId: message.chat.id, senderId: message.sender.id };
    unit.after(() => bus.emit({ type: 'message.dropped', reason, ...where }));
    return { dropped: reason };
  }
  unit.after(() =>
    bus.emit(
      message.kind === 'edit'
        ? { type: 'message.edited', messageId: changed.id, channel: message.channel, chatId: message.chat.id, text: changed.text }
        : { type: 'message.deleted', messageId: changed.id, channel: message.channel, chatId: message.chat.id },
    ),
  );
  return { messageId: changed.id, routed: [] };
}
