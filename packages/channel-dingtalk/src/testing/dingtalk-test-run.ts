// Test support: a DingTalk channel started against a fresh fake DingTalk, with what it reported.
import type { ChannelContext, ChannelStatus, InboundMessage } from '@ngb/plugin-sdk';
import { createManualClock, createRecordingChannelContext, type ManualClock } from '@ngb/plugin-sdk/testing';
import { createFakeDingTalkServer, type FakeDingTalkServer, type FakeDingTalkServerOptions } from '@ngb/testing';
import { createDingTalkChannel, type DingTalkChannel } from '../dingtalk-channel';
import type { DingTalkChannelOptions } from '../dingtalk-options';
import { fakeDingTalkOptions } from './dingtalk-channel-harness';

export interface DingTalkTestRun {
  fake: FakeDingTalkServer;
  channel: DingTalkChannel;
  clock: ManualClock;
  context: ChannelContext;
  received: InboundMessage[];
  statuses: ChannelStatus[];
  /** Makes the next `receive` throw, as a store that cannot write would. */
  failNextReceive(): void;
  close(): Promise<void>;
}

export async function startDingTalkTestRun(
  fakeOptions: FakeDingTalkServerOptions = {},
  channelOptions: Partial<DingTalkChannelOptions> = {},
  start = true,
): Promise<DingTalkTestRun> {
  const fake = await createFakeDingTalkServer(fakeOptions);
  // Now, so the session webhooks' expiry (set by the fake from the real time) reads right.
  const clock = createManualClock(Date.now());
  const channel = createDingTalkChannel({ ...fakeDingTalkOptions(fake), clock, ...channelOptions });
  const { context, received, statuses, failNextReceive } = createRecordingChannelContext();
  if (start) await channel.start(context);
  return {
    fake,
    channel,
    clock,
    context,
    received,
    statuses,
    failNextReceive,
    async close() {
      await channel.stop();
      await fake.close();
    },
  };
}

export { eventually } from '@ngb/plugin-sdk/testing';
