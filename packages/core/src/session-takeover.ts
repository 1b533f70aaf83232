import type { Clock, Store } from '@ngb/plugin-sdk';
import type { Delivery } from './delivery';
import type { LeaseTakeOver } from './session-leases';
import type { SessionQueue } from './session-queue';

/** What {@link createSessionTakeOver} needs. */
export interface SessionTakeOverOptions {
  store: Pick<Store, 'sessions' | 'chats' | 'turns' | 'outbox'>;
  queue: Pick<SessionQueue, 'wake' | 'hold' | 'release'>;
  delivery: Pick<Delivery, 'kick'>;
  clock: Clock;
  /** Channels whose chats live only as long as the process that opened them. */
  ephemeralChannels: readonly string[];
  /** False for a gateway that takes over nothing (a terminal conversation). */
  takesOver: boolean;
}

/**
 * How a gateway resumes a session it now holds (a retry waits for its time; unsent replies are
 * delivered), and which sessions it takes over: any but a terminal conversation (a chat on an
 * ephemeral channel), whose answer only the process that opened it could show. A session on a
 * channel this gateway lacks is run too; its reply waits in the outbox for that channel.
 */
export function createSessionTakeOver(options: SessionTakeOverOptions): LeaseTakeOver {
  const { store, queue, delivery, clock } = options;
  const resume = async (sessionId: string) => {
    const unfinished = (await store.turns.listForSession(sessionId, { limit: 5 })).find(
      (turn) => turn.status === 'queued' || turn.status === 'running',
    );
    const retryAt = unfinished?.nextAttemptAt;
    if (retryAt !== undefined && retryAt > clock.now()) {
      queue.hold(sessionId);
      clock.setTimeout(() => queue.release(sessionId, 'message'), retryAt - clock.now());
    } else {
      queue.wake(sessionId, 'message');
    }
    const chats = new Set<string>();
    for (const entry of await store.outbox.listPending()) {
      const key = `${entry.channel}\u0000${entry.chatId}`;
      if (entry.sessionId !== sessionId || chats.has(key)) continue;
      chats.add(key);
      delivery.kick(entry.channel, entry.chatId);
    }
  };
  if (!options.takesOver) return { resume };
  const accepts = async (sessionId: string) => {
    const session = await store.sessions.get(sessionId);
    if (session === undefined) return false;
    if (session.chatId === undefined) return true;
    const chat = await store.chats.get(session.chatId);
    return chat !== undefined && !options.ephemeralChannels.includes(chat.channel);
  };
  return { resume, accepts };
}
