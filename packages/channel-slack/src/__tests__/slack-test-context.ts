// Test support: a context that records what `receive` got and the statuses, and can fail `receive`.
import type { ChannelContext, ChannelStatus, InboundMessage } from '@ngb/plugin-sdk';
import { createManualClock, createRecordingLogger } from '@ngb/plugin-sdk/testing';
import type { FakeSlackServer } from '@ngb/testing';
import { createSlackChannel } from '../slack-channel';

/** A context for one adapter under test. */
export function createTestContext() {
  const received: InboundMessage[] = [];
  const statuses: ChannelStatus[] = [];
  const logger = createRecordingLogger();
  let calls = 0;
  let failures = 0;
  const context: ChannelContext = {
    async receive(message) {
      calls += 1;
      if (failures > 0) {
        failures -= 1;
        throw new Error('disk full');
      }
      received.push(message);
      return { messageId: `stored-${received.length}`, routed: [] };
    },
    logger,
    setStatus: (status) => void statuses.push(status),
  };
  return {
    context,
    received,
    statuses,
    logger,
    calls: () => calls,
    /** Makes the next `count` calls of `receive` throw. */
    failNext(count = 1) {
      failures += count;
    },
    /** The state reported last. */
    state: () => statuses.at(-1)?.state,
  };
}

/** Resolves once `read()` is defined; fails after `limitMs` of real time. */
export async function waitFor<T>(read: () => T | undefined, what: string, limitMs = 5_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = read();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > limitMs) throw new Error(`[test] ${what}: not seen within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A started Socket Mode adapter against `fake`, on a manual clock, with a recording context. */
export async function startSlackChannel(fake: FakeSlackServer) {
  const test = createTestContext();
  const channel = createSlackChannel({
    botToken: fake.botToken,
    appToken: fake.appToken,
    apiUrl: fake.apiUrl,
    clock: createManualClock(),
  });
  await channel.start(test.context);
  return { test, channel };
}
