// Test support: a DingTalk channel started against a fresh fake DingTalk, with what it reported.
import { type ChannelContext, type ChannelStatus, type InboundMessage, silentLogger } from '@ngb/plugin-sdk';
import { createManualClock, type ManualClock } from '@ngb/plugin-sdk/testing';
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
  if (start) await channel.start(context);
  return {
    fake,
    channel,
    clock,
    context,
    received,
    statuses,
    failNextReceive: () => {
      failing = true;
    },
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
