// Test support: a QQ channel started against a fresh fake OneBot implementation, with what it reported.
import type { ChannelContext, ChannelStatus, InboundMessage } from '@ngb/plugin-sdk';
import { createManualClock, createRecordingChannelContext, type ManualClock } from '@ngb/plugin-sdk/testing';
import { createFakeQQServer, type FakeQQServer, type FakeQQServerOptions } from '@ngb/testing';
import { createQQChannel, type QQChannel } from '../qq-channel';
import type { QQChannelOptions } from '../qq-options';

export interface QQTestRun {
  fake: FakeQQServer;
  channel: QQChannel;
  clock: ManualClock;
  context: ChannelContext;
  received: InboundMessage[];
  statuses: ChannelStatus[];
  close(): Promise<void>;
}

export async function startQQTestRun(
  fakeOptions: FakeQQServerOptions = {},
  channelOptions: Partial<QQChannelOptions> = {},
  start = true,
): Promise<QQTestRun> {
  const fake = await createFakeQQServer(fakeOptions);
  const clock = createManualClock();
  const channel = createQQChannel({ url: fake.url, accessToken: fake.accessToken, clock, ...channelOptions });
  const { context, received, statuses } = createRecordingChannelContext();
  if (start) await channel.start(context);
  return {
    fake,
    channel,
    clock,
    context,
    received,
    statuses,
    async close() {
      await channel.stop();
      await fake.close();
    },
  };
}

export { eventually } from '@ngb/plugin-sdk/testing';
