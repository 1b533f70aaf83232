// Test support: a QQ channel started against a fresh fake OneBot implementation, with what it reported.
import { type ChannelContext, type ChannelStatus, type InboundMessage, silentLogger } from '@ngb/plugin-sdk';
import { createManualClock, type ManualClock } from '@ngb/plugin-sdk/testing';
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
  const received: InboundMessage[] = [];
  const statuses: ChannelStatus[] = [];
  const context: ChannelContext = {
    receive: async (message) => {
      received.push(message);
      return { dropped: 'recorded by the test' };
    },
    logger: silentLogger,
    setStatus: (status) => void statuses.push(status),
  };
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

/** Resolves with `read()` once it is truthy (polling every 10 ms, up to 10 s). */
export async function eventually<T>(read: () => T | undefined | false, what: string): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = read();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > 10_000) throw new Error(`[test] ${what}: not seen within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
