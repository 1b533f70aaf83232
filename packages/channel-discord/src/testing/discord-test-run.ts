// Test support: a Discord channel started against a fresh fake Discord, with what it reported.
import type { ChannelContext, ChannelStatus, InboundMessage } from '@ngb/plugin-sdk';
import { createManualClock, createRecordingChannelContext, type ManualClock } from '@ngb/plugin-sdk/testing';
import { createFakeDiscordServer, type FakeDiscordServer, type FakeDiscordServerOptions } from '@ngb/testing';
import { createDiscordChannel, type DiscordChannel } from '../discord-channel';
import type { DiscordChannelOptions } from '../discord-options';

export interface DiscordTestRun {
  fake: FakeDiscordServer;
  channel: DiscordChannel;
  clock: ManualClock;
  context: ChannelContext;
  received: InboundMessage[];
  statuses: ChannelStatus[];
  close(): Promise<void>;
}

/** The guild of the tests: text channel 2002 and thread 4004 in it. */
const testGuilds = [
  {
    id: '3003',
    name: 'Fake Guild',
    channels: [
      { id: '2002', name: 'general' },
      { id: '4004', name: 'plans', parentId: '2002' },
    ],
  },
];

export async function startDiscordTestRun(
  fakeOptions: FakeDiscordServerOptions = {},
  channelOptions: Partial<DiscordChannelOptions> = {},
  start = true,
): Promise<DiscordTestRun> {
  const fake = await createFakeDiscordServer({ guilds: structuredClone(testGuilds), ...fakeOptions });
  const clock = createManualClock();
  const channel = createDiscordChannel({ botToken: fake.token, apiUrl: fake.apiUrl, clock, ...channelOptions });
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
