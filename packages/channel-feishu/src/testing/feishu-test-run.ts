// Test support: a Feishu channel (webhook mode unless the options say otherwise) started against a fresh fake Feishu, with what it reported.
import { type ChannelContext, type ChannelStatus, type InboundMessage, silentLogger } from '@ngb/plugin-sdk';
import { createManualClock, type ManualClock } from '@ngb/plugin-sdk/testing';
import { createFakeFeishuServer, type FakeFeishuServer, type FakeFeishuServerOptions } from '@ngb/testing';
import { createFeishuChannel, type FeishuChannel } from '../feishu-channel';
import type { FeishuChannelOptions } from '../feishu-options';

export interface FeishuTestRun {
  fake: FakeFeishuServer;
  channel: FeishuChannel;
  clock: ManualClock;
  received: InboundMessage[];
  statuses: ChannelStatus[];
  /** Calls of `receive`, including those made to fail. */
  receiveCalls(): number;
  /** Makes the next `count` calls of `receive` throw. */
  failReceive(count?: number): void;
  /** Posts a request to the channel's webhook. */
  webhook(request: Request): Promise<Response>;
  close(): Promise<void>;
}

/** Starts a channel (webhook mode unless `options.mode` says otherwise) on a manual clock against a new fake. */
export async function startFeishuTestRun(
  fakeOptions: FakeFeishuServerOptions = {},
  options: Partial<FeishuChannelOptions> = {},
): Promise<FeishuTestRun> {
  const fake = await createFakeFeishuServer(fakeOptions);
  const clock = createManualClock();
  const received: InboundMessage[] = [];
  const statuses: ChannelStatus[] = [];
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
    logger: options.logger ?? silentLogger,
    setStatus: (status) => void statuses.push(status),
  };
  const channel = createFeishuChannel({
    appId: fake.appId,
    appSecret: fake.appSecret,
    domain: fake.url,
    mode: 'webhook',
    verificationToken: fake.verificationToken,
    ...(fake.encryptKey ? { encryptKey: fake.encryptKey } : {}),
    clock,
    ...options,
  });
  await channel.start(context);
  return {
    fake,
    channel,
    clock,
    received,
    statuses,
    receiveCalls: () => calls,
    failReceive(count = 1) {
      failures += count;
    },
    async webhook(request) {
      const handle = channel.handleWebhook;
      if (!handle) throw new Error('[test] the channel has no webhook');
      return handle(request);
    },
    async close() {
      await channel.stop();
      await fake.close();
    },
  };
}
