import type { Address, ChannelState, Chat, Logger, OutboxEntry, StoreRepositories } from '@ngb/plugin-sdk';
import type { EventBus } from './events';
import { type ChatPlaces, ownerChat } from './home-chat';
import type { EnqueueText } from './outbound';
import type { RunUnitOfWork } from './unit-of-work';

// The owner notices about dead letters carry this key prefix: a notice that cannot be delivered
// itself is kept like any reply, and never reported again (no notice about a notice).
const noticeKeyPrefix = 'dead-letter:';

/** What {@link createDeadLetters} needs. */
export interface DeadLettersOptions {
  runUnit: RunUnitOfWork;
  bus: Pick<EventBus, 'emit'>;
  logger: Logger;
  places: ChatPlaces;
  enqueueText: EnqueueText;
  /** The state of a channel running here; undefined for a channel this gateway does not run. */
  channelState: (channel: string) => ChannelState | undefined;
}

/** How a reply that will not be delivered is kept and reported. */
export interface DeadLetters {
  /**
   * Marks the entry failed for good (kept with its error, attempts and the time it failed) and, in
   * the same transaction, queues a notice to the owner's chat when that is another chat on a
   * working channel. Emits `delivery.failed` (`permanent: true`) and logs an error once committed.
   * @param refused true when the platform refused the reply for good, false when retries ran out
   */
  bury(entry: OutboxEntry, error: string, options: { refused: boolean; failedAt: number }): Promise<void>;
}

const sameChat = (chat: Chat, entry: OutboxEntry) => chat.channel === entry.channel && chat.platformChatId === entry.chatId;

/** Creates the dead-letter keeper of a gateway's delivery. */
export function createDeadLetters(options: DeadLettersOptions): DeadLetters {
  const { runUnit, bus, logger, places } = options;

  // The owner's chat, when a notice there can be delivered: another chat than the failed one, on a
  // channel running here that has not failed.
  const noticeAddress = async (tx: StoreRepositories, entry: OutboxEntry): Promise<Address | undefined> => {
    if (entry.key.startsWith(noticeKeyPrefix)) return undefined;
    const owner = await ownerChat(tx, places);
    if (owner === undefined || sameChat(owner, entry)) return undefined;
    const state = options.channelState(owner.channel);
    if (state === undefined || state === 'failed') return undefined;
    return { channel: owner.channel, chatId: owner.platformChatId };
  };

  const noticeText = async (tx: StoreRepositories, entry: OutboxEntry, error: string, attempts: number) => {
    const chat = await tx.chats.getByPlatformId(entry.channel, entry.chatId);
    const where = chat?.name ? `${chat.name} (${entry.channel}:${entry.chatId})` : `${entry.channel}:${entry.chatId}`;
    const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
    return `A reply to ${where} could not be delivered after ${tries}: ${error}. It is kept: retry it under Failed deliveries in the dashboard.`;
  };

  return {
    async bury(entry, error, { refused, failedAt }) {
      const told = await runUnit(async (unit) => {
        const failed = await unit.tx.outbox.markFailed(entry.id, error, { permanent: refused, failedAt });
        unit.after(() =>
          bus.emit({
            type: 'delivery.failed',
            outboxId: entry.id,
            channel: entry.channel,
            chatId: entry.chatId,
            error,
            permanent: true,
          }),
        );
        const address = await noticeAddress(unit.tx, failed);
        if (address === undefined) return undefined;
        const text = await noticeText(unit.tx, failed, error, failed.attempts);
        await options.enqueueText(unit, address, text, `${noticeKeyPrefix}${entry.id}:${failedAt}`, { format: 'plain' });
        return address;
      });
      logger.error('delivery failed for good; the reply is kept as a failed delivery', {
        outboxId: entry.id,
        channel: entry.channel,
        chatId: entry.chatId,
        error,
        ownerTold: told === undefined ? false : `${told.channel}:${told.chatId}`,
      });
    },
  };
}
