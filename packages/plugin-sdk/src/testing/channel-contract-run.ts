import type { ChannelAdapter, ChannelContext, ChannelStatus, InboundMessage } from '../contracts/channel';
import type { ChannelHarness, HarnessPlatform } from './channel-harness';
import { createRecordingChannelContext } from './recording-context';

/** One case's adapter, with the context the suite starts it with and what `receive` got. */
export interface ContractRun {
  harness: ChannelHarness;
  adapter: ChannelAdapter;
  platform: Required<Pick<HarnessPlatform, 'directChatId' | 'groupChatId'>> & HarnessPlatform;
  context: ChannelContext;
  /** Messages `receive` stored, in order. */
  received: InboundMessage[];
  statuses: ChannelStatus[];
  /** How many times `receive` was called (counted when called, before it resolves). */
  receiveCalls(): number;
  /** Makes `receive` wait until the returned function is called. */
  holdReceive(): () => void;
  /** Makes `receive` throw, as a store that cannot write would. */
  failReceive(error: Error): void;
  /** Resolves with `read()` once it is defined. */
  waitFor<T>(read: () => T | undefined, what: string): Promise<T>;
}

const waitLimitMs = 5_000;

/** Builds a {@link ContractRun} for one case. */
export async function createContractRun(harness: ChannelHarness): Promise<ContractRun> {
  const adapter = await harness.create();
  const { context, received, statuses, receiveCalls, holdReceive, failReceive } = createRecordingChannelContext({
    dropped: 'recorded by the contract suite',
  });
  return {
    harness,
    adapter,
    platform: { directChatId: '1001', groupChatId: '2002', ...harness.platform },
    context,
    received,
    statuses,
    receiveCalls,
    holdReceive,
    failReceive,
    async waitFor(read, what) {
      const started = Date.now();
      for (;;) {
        const value = read();
        if (value !== undefined) return value;
        if (Date.now() - started > waitLimitMs) throw new Error(`[channel contract] ${what}: not seen within ${waitLimitMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}
