import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatAddress, parseAddress } from '../address';
import type { ChannelAdapter, ChannelContext, ChannelStatus, InboundMessage } from '../contracts/channel';
import { silentLogger } from '../logger';

/** What a channel test harness gives the contract suite: the adapter, wired to a fake platform. */
export interface ChannelHarness {
  /** The adapter under test, not started. */
  adapter: ChannelAdapter;
  /** Makes the fake platform deliver a text message in `chatId` (a DM unless `isGroup`). */
  deliverInbound(input: { chatId: string; text: string; isGroup?: boolean; senderId?: string }): Promise<void>;
  /** Texts the fake platform received from the adapter, in order. */
  sentTexts(): Promise<Array<{ chatId: string; text: string }>>;
  /** Stops the fake platform. */
  close(): Promise<void>;
}

async function waitFor<T>(read: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The behaviour every {@link ChannelAdapter} must have. Call it in a test file of the adapter's
 * package with a factory that builds the adapter against its fake platform server.
 */
export function describeChannelContract(name: string, createHarness: () => Promise<ChannelHarness>): void {
  describe(`ChannelAdapter contract: ${name}`, () => {
    let harness: ChannelHarness;
    let received: InboundMessage[];
    let statuses: ChannelStatus[];
    let context: ChannelContext;

    beforeEach(async () => {
      harness = await createHarness();
      received = [];
      statuses = [];
      context = {
        receive: async (message) => {
          received.push(message);
          return { dropped: 'recorded by the contract suite' };
        },
        logger: silentLogger,
        setStatus: (status) => void statuses.push(status),
      };
    });

    afterEach(async () => {
      await harness.adapter.stop();
      await harness.close();
    });

    it('declares version 1, a usable name and positive limits', () => {
      expect(harness.adapter.specificationVersion).toBe(1);
      expect(harness.adapter.name).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(harness.adapter.limits.maxMessageLength).toBeGreaterThan(0);
    });

    it('normalizes an inbound message and hands it to receive', async () => {
      await harness.adapter.start(context);
      await harness.deliverInbound({ chatId: '1001', text: 'hello & <world>', senderId: '77' });
      const message = await waitFor(() => received[0]);
      expect(message.channel).toBe(harness.adapter.name);
      expect(message.chat.id).toBe('1001');
      expect(message.text).toBe('hello & <world>');
      expect(message.sender.id).toBe('77');
      expect(message.platformMessageId).not.toBe('');
      expect(Number.isFinite(message.timestamp)).toBe(true);
      expect(statuses.some((status) => status.state === 'connected')).toBe(true);
    });

    it('sends text and returns the platform message id', async () => {
      await harness.adapter.start(context);
      const address = parseAddress(formatAddress({ channel: harness.adapter.name, chatId: '1001' }));
      const receipt = await harness.adapter.send(address, { text: 'first' });
      await harness.adapter.send(address, { text: 'x'.repeat(harness.adapter.limits.maxMessageLength) });
      expect(receipt.platformMessageId).not.toBe('');
      const texts = await harness.sentTexts();
      expect(texts.map((sent) => sent.text.length)).toEqual([5, harness.adapter.limits.maxMessageLength]);
      expect(texts[0]).toEqual({ chatId: '1001', text: 'first' });
    });

    it('delivers nothing after stop, and stop is idempotent', async () => {
      await harness.adapter.start(context);
      await harness.adapter.stop();
      await harness.adapter.stop();
      await harness.deliverInbound({ chatId: '1001', text: 'late' }).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(received).toEqual([]);
    });
  });
}
