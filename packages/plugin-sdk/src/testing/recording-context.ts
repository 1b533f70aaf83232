import type { ChannelContext, ChannelStatus, InboundMessage } from '../contracts/channel';
import { silentLogger } from '../logger';

/** A channel context that keeps what an adapter hands it, for an adapter's own tests. */
export interface RecordingChannelContext {
  context: ChannelContext;
  /** Every message `receive` took, in order. */
  received: InboundMessage[];
  /** Every status the adapter reported, in order. */
  statuses: ChannelStatus[];
  /** The next `receive` rejects (as a store that cannot write would) and records nothing. */
  failNextReceive(): void;
}

/** Creates a {@link RecordingChannelContext}: `receive` records and answers that nothing was routed. */
export function createRecordingChannelContext(): RecordingChannelContext {
  const received: InboundMessage[] = [];
  const statuses: ChannelStatus[] = [];
  let failing = false;
  const context: ChannelContext = {
    receive: async (message) => {
      if (failing) {
        failing = false;
        throw new Error('[test] the store cannot write');
      }
      received.push(message);
      return { dropped: 'recorded by the test' };
    },
    logger: silentLogger,
    setStatus: (status) => void statuses.push(status),
  };
  return {
    context,
    received,
    statuses,
    failNextReceive: () => {
      failing = true;
    },
  };
}

/**
 * Resolves with `read()` once it is truthy, polling every 10 ms; rejects after `timeoutMs` naming `what`.
 * @param timeoutMs how long to wait (default 10 s)
 */
export async function eventually<T>(read: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = read();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`[test] ${what}: not seen within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
