import type { ChannelContext, ChannelStatus, InboundMessage } from '../contracts/channel';
import type { ReceiveResult } from '../contracts/receive-result';
import { silentLogger } from '../logger';

/** A channel context that keeps what an adapter hands it, for an adapter's own tests. */
export interface RecordingChannelContext {
  context: ChannelContext;
  /** Every message `receive` took, in order. */
  received: InboundMessage[];
  /** Every status the adapter reported, in order. */
  statuses: ChannelStatus[];
  /** How many times `receive` was called (counted when called, before it resolves). */
  receiveCalls(): number;
  /** Makes `receive` wait until the returned function is called. */
  holdReceive(): () => void;
  /** Makes every `receive` from now on reject with `error` (as a store that cannot write would). */
  failReceive(error: Error): void;
  /** The next `receive` rejects (as a store that cannot write would) and records nothing. */
  failNextReceive(): void;
}

/**
 * Creates a {@link RecordingChannelContext}: `receive` records and answers that nothing was routed.
 * @param options.dropped the reason its answer gives (default `recorded by the test`)
 * @param options.answer what `receive` resolves with instead, given how many messages it has recorded
 */
export function createRecordingChannelContext(
  options: { dropped?: string; answer?: (recorded: number) => ReceiveResult } = {},
): RecordingChannelContext {
  const dropped = options.dropped ?? 'recorded by the test';
  const answer = options.answer ?? (() => ({ dropped }));
  const received: InboundMessage[] = [];
  const statuses: ChannelStatus[] = [];
  let calls = 0;
  let gate: Promise<void> = Promise.resolve();
  let failure: Error | undefined;
  let failNext = false;
  const context: ChannelContext = {
    receive: async (message) => {
      calls += 1;
      await gate;
      if (failure) throw failure;
      if (failNext) {
        failNext = false;
        throw new Error('[test] the store cannot write');
      }
      received.push(message);
      return answer(received.length);
    },
    logger: silentLogger,
    setStatus: (status) => void statuses.push(status),
  };
  return {
    context,
    received,
    statuses,
    receiveCalls: () => calls,
    holdReceive() {
      let release!: () => void;
      gate = new Promise((resolve) => {
        release = resolve;
      });
      return release;
    },
    failReceive(error) {
      failure = error;
    },
    failNextReceive: () => {
      failNext = true;
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
