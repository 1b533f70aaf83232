import type { ChannelAdapter } from '../contracts/channel';
import type { ChannelHarness, HarnessPlatform } from './channel-harness';
import { createRecordingChannelContext, type RecordingChannelContext } from './recording-context';

/** One case's adapter, with the context the suite starts it with and what `receive` got. */
export interface ContractRun extends Omit<RecordingChannelContext, 'failNextReceive'> {
  harness: ChannelHarness;
  adapter: ChannelAdapter;
  platform: Required<Pick<HarnessPlatform, 'directChatId' | 'groupChatId'>> & HarnessPlatform;
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
