import {
  type ChannelAdapter,
  ChannelApiError,
  type Clock,
  canEdit,
  errorMessage,
  type Logger,
  type OutboxEntry,
  type Store,
} from '@ngb/plugin-sdk';
import type { DeadLetters } from './dead-letters';
import { completeStreamedReply, retireStreamedMessages } from './deliver-streamed';
import type { EventBus } from './events';
import type { PluginHost } from './plugin-host';
import { splitMessage } from './split-message';

/** Sends outbox rows per chat, in order, with retries. */
export interface Delivery {
  /** Starts (or restarts after its current pass) delivery of one chat. */
  kick(channel: string, chatId: string): void;
  /** Resolves when no chat is being delivered. */
  idle(): Promise<void>;
  /** True while a chat is being delivered. */
  busy(): boolean;
  /** Stops scheduling retries. */
  stop(): void;
}

/** What delivery needs. */
export interface DeliveryOptions {
  store: Store;
  bus: Pick<EventBus, 'emit'>;
  clock: Clock;
  logger: Logger;
  /** The running channels by name. */
  channels: ReadonlyMap<string, ChannelAdapter>;
  plugins: Pick<PluginHost, 'sending'>;
  /** Whether this process holds a session's lease: only the holder delivers the session's replies. */
  holds: (sessionId: string) => boolean;
  /** Waits between attempts of a failed send; its length is the number of retries. */
  retryDelaysMs: readonly number[];
  /** Keeps and reports a reply that failed for good. */
  deadLetters: DeadLetters;
  /**
   * Waits before a chat's delivery runs again after the store refused a write (a full disk), one
   * per consecutive failure, the last repeating: the store comes back, so this never gives up.
   * @default [1_000, 2_000, 5_000, 10_000]
   */
  storeRetryDelaysMs?: readonly number[];
}

const defaultStoreRetryDelaysMs: readonly number[] = [1_000, 2_000, 5_000, 10_000];

/** Creates the delivery worker of a gateway. */
export function createDelivery(options: DeliveryOptions): Delivery {
  const { store, bus, clock, logger } = options;
  const active = new Map<string, Promise<void>>();
  const again = new Set<string>();
  const timers = new Map<string, ReturnType<Clock['setTimeout']>>();
  // Parts the platform accepted whose record the store refused, by outbox id: while this process
  // lives they are never sent again. (A crash before the record lands resends that one row.)
  const unrecorded = new Map<string, string[]>();
  // Consecutive passes of a chat that failed on the store.
  const storeFailures = new Map<string, number>();
  const storeRetryDelaysMs = options.storeRetryDelaysMs ?? defaultStoreRetryDelaysMs;
  let stopped = false;

  const schedule = (channel: string, chatId: string, at: number) => {
    if (stopped) return;
    const key = `${channel}\u0000${chatId}`;
    const existing = timers.get(key);
    if (existing !== undefined) clock.clearTimeout(existing);
    timers.set(
      key,
      clock.setTimeout(
        () => {
          timers.delete(key);
          kick(channel, chatId);
        },
        Math.max(0, at - clock.now()),
      ),
    );
  };

  // An entry that will never be sent by choice (a plugin cancelled it, nothing to send): failed,
  // and the chat goes on; not a delivery failure the owner must hear about.
  const drop = async (entry: OutboxEntry, reason: string): Promise<true> => {
    await store.outbox.markFailed(entry.id, reason, { permanent: true, failedAt: clock.now() });
    bus.emit({
      type: 'delivery.failed',
      outboxId: entry.id,
      channel: entry.channel,
      chatId: entry.chatId,
      error: reason,
      permanent: true,
    });
    return true;
  };

  // Returns false when the chat must wait (a retry is scheduled or the channel is missing).
  const deliverOne = async (entry: OutboxEntry): Promise<boolean> => {
    // Another process holds the session: it (or whoever takes the session over) delivers the reply.
    if (entry.sessionId !== undefined && !options.holds(entry.sessionId)) return false;
    if (entry.nextAttemptAt !== undefined && entry.nextAttemptAt > clock.now()) {
      schedule(entry.channel, entry.chatId, entry.nextAttemptAt);
      return false;
    }
    const adapter = options.channels.get(entry.channel);
    if (!adapter) {
      logger.warn('no channel for outbox row; it stays pending', { channel: entry.channel, outboxId: entry.id });
      return false;
    }
    const address = { channel: entry.channel, chatId: entry.chatId, threadId: entry.threadId };
    const changed = await options.plugins.sending(address, {
      text: entry.text,
      format: entry.format,
      replyTo: entry.replyToPlatformId,
    });
    // A reply streamed while its turn ran is completed by editing its messages, never sent again.
    const streamed = entry.streamMessageIds.length > 0 && canEdit(adapter) ? adapter : undefined;
    const chunks =
      changed === false ? [] : splitMessage(changed.text, adapter.limits.maxMessageLength, adapter.limits.maxMessageBytes);
    if (chunks.length === 0 && streamed) await retireStreamedMessages(streamed, address, entry.streamMessageIds);
    if (changed === false) return drop(entry, 'cancelled by a plugin');
    if (chunks.length === 0) return drop(entry, 'nothing to send: the text is empty');
    // Only a failure of the platform counts as a failed attempt; a store write that fails after the
    // platform accepted a part fails the pass (retried later) and the part is not sent again.
    let sending = true;
    try {
      // Parts already sent (recorded on the row as each went out) are not sent again after a crash.
      const sentIds = streamed
        ? await completeStreamedReply({
            adapter: streamed,
            outbox: store.outbox,
            entry,
            address,
            message: changed,
            parts: chunks,
          })
        : (unrecorded.get(entry.id) ?? [...entry.sentChunkIds]);
      for (let index = sentIds.length; index < chunks.length; index += 1) {
        sending = true;
        const receipt = await adapter.send(address, {
          ...changed,
          text: chunks[index] ?? '',
          replyTo: index === 0 ? changed.replyTo : undefined,
          ...sendFacts(entry, index),
          // A question's buttons go under its last part, where the options are read.
          ...(entry.choices && index === chunks.length - 1 ? { choices: entry.choices } : {}),
        });
        sending = false;
        sentIds.push(receipt.platformMessageId);
        unrecorded.set(entry.id, sentIds);
        if (chunks.length > 1) await store.outbox.recordChunk(entry.id, receipt.platformMessageId);
      }
      sending = false;
      const firstId = sentIds[0] ?? '';
      await store.outbox.markSent(entry.id, firstId, clock.now());
      unrecorded.delete(entry.id);
      bus.emit({
        type: 'delivery.sent',
        outboxId: entry.id,
        channel: entry.channel,
        chatId: entry.chatId,
        platformMessageId: firstId,
        chunks: chunks.length,
      });
      return true;
    } catch (error) {
      if (!sending) throw error;
      const retryable = ChannelApiError.isInstance(error) ? error.retryable : true;
      const retryAfter = ChannelApiError.isInstance(error) ? (error.retryAfterMs ?? 0) : 0;
      const delay = options.retryDelaysMs[entry.attempts];
      const text = errorMessage(error);
      // A send that fails while the gateway stops (its connections closing) keeps its row pending for the
      // next start: only a reply whose retries are spent, or that the platform refused, is given up.
      if (retryable && delay !== undefined) {
        const nextAttemptAt = clock.now() + Math.max(delay, retryAfter);
        await store.outbox.bumpAttempt(entry.id, text, nextAttemptAt);
        bus.emit({
          type: 'delivery.failed',
          outboxId: entry.id,
          channel: entry.channel,
          chatId: entry.chatId,
          error: text,
          permanent: false,
        });
        schedule(entry.channel, entry.chatId, nextAttemptAt);
        return false;
      }
      // Kept (never dropped silently) and reported; the chat goes on with its next reply.
      await options.deadLetters.bury(entry, text, { refused: !retryable, failedAt: clock.now() });
      return true;
    }
  };

  const drain = async (channel: string, chatId: string) => {
    for (;;) {
      const pending = await store.outbox.listPending({ channel, chatId });
      if (pending.length === 0) return;
      for (const entry of pending) {
        if (!(await deliverOne(entry))) return;
      }
    }
  };

  const kick = (channel: string, chatId: string) => {
    if (stopped) return;
    const key = `${channel}\u0000${chatId}`;
    if (active.has(key)) {
      again.add(key);
      return;
    }
    const run = drain(channel, chatId)
      .then(
        () => {
          storeFailures.delete(key);
        },
        (error: unknown) => {
          // The rows stay pending in the store: the chat's delivery runs again once it takes writes.
          const failures = storeFailures.get(key) ?? 0;
          storeFailures.set(key, failures + 1);
          const retryInMs = storeRetryDelaysMs[Math.min(failures, storeRetryDelaysMs.length - 1)] ?? 1_000;
          logger.error('delivery pass failed; trying again later', { channel, chatId, error: errorMessage(error), retryInMs });
          schedule(channel, chatId, clock.now() + retryInMs);
        },
      )
      .finally(() => {
        active.delete(key);
        if (again.delete(key)) kick(channel, chatId);
      });
    active.set(key, run);
  };

  return {
    kick,
    async idle() {
      while (active.size > 0) await Promise.all(active.values());
    },
    busy: () => active.size > 0,
    stop() {
      stopped = true;
      for (const timer of timers.values()) clock.clearTimeout(timer);
      timers.clear();
    },
  };
}

/** What every send of a row carries besides its text: a key stable across redeliveries, its writer and hop. */
function sendFacts(entry: OutboxEntry, part: number) {
  return {
    idempotencyKey: part === 0 ? entry.key : `${entry.key}#${part}`,
    sessionId: entry.sessionId,
    hop: entry.hop,
  };
}
