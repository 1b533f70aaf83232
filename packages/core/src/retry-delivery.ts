import type { OutboxEntry, Store } from '@ngb/plugin-sdk';
import type { EventBus } from './events';
import type { SessionLeases } from './session-leases';

/** What {@link createRetryDelivery} needs. */
export interface RetryDeliveryOptions {
  outbox: Store['outbox'];
  bus: Pick<EventBus, 'emit'>;
  leases: Pick<SessionLeases, 'holds' | 'run'>;
  kick: (channel: string, chatId: string) => void;
}

/**
 * Queues a failed delivery again and starts its chat's delivery.
 * @throws NotFoundError for an unknown id; NgbError `outbox_not_failed` when it is not failed
 */
export function createRetryDelivery(options: RetryDeliveryOptions): (outboxId: string) => Promise<OutboxEntry> {
  const { outbox, bus, leases, kick } = options;
  return async (outboxId) => {
    const entry = await outbox.requeue(outboxId);
    bus.emit({ type: 'delivery.retried', outboxId: entry.id, channel: entry.channel, chatId: entry.chatId });
    // Only the holder of a session's lease delivers its replies, and a session whose last reply
    // failed was released since: take it again (when another process holds it, that one delivers).
    if (entry.sessionId !== undefined && !leases.holds(entry.sessionId)) await leases.run(entry.sessionId, async () => true);
    kick(entry.channel, entry.chatId);
    return entry;
  };
}
