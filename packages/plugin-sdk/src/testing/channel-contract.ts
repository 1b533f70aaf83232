import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatAddress, parseAddress } from '../address';
import { describeCapabilityCases } from './channel-contract-capabilities';
import { type ContractRun, createContractRun } from './channel-contract-run';
import type { ChannelHarness } from './channel-harness';

/**
 * The behaviour every `ChannelAdapter` must have, run through the harness its package supplies. The
 * cases of an optional capability (typing, edit, delete, files, threads, webhook) and of a platform
 * feature the harness declares (replies, inbound edits and deletions, rejected markup) run only when the
 * adapter has it; the others report themselves skipped with the reason.
 */
export function describeChannelContract(name: string, harness: ChannelHarness): void {
  describe(`ChannelAdapter contract: ${name}`, () => {
    let run: ContractRun;
    const current = () => run;

    beforeEach(async () => {
      run = await createContractRun(harness);
    });

    afterEach(async () => {
      await run.adapter.stop();
      await harness.dispose?.();
    });

    it('declares version 1, a usable name and limits', () => {
      expect(run.adapter.specificationVersion).toBe(1);
      expect(run.adapter.name).toMatch(/^[a-z][a-z0-9-]{0,31}$/);
      expect(Number.isInteger(run.adapter.limits.maxMessageLength)).toBe(true);
      expect(run.adapter.limits.maxMessageLength).toBeGreaterThanOrEqual(2);
    });

    it('stops idempotently, before and after start, and delivers nothing after stop', async () => {
      await run.adapter.stop();
      await run.adapter.start(run.context);
      await run.adapter.stop();
      await run.adapter.stop();
      await harness
        .injectInbound({ chatId: run.platform.directChatId, text: 'late', sender: { id: '77' } })
        .catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(run.received).toEqual([]);
    });

    it('starts again after stop, and delivers to the new context', async (test) => {
      if (run.platform.inbound === false) return test.skip('the harness says its adapter only sends');
      await run.adapter.start(run.context);
      await run.adapter.stop();
      await run.adapter.start(run.context);
      await harness.injectInbound({ chatId: run.platform.directChatId, text: 'after a restart', sender: { id: '77' } });
      const message = await run.waitFor(() => run.received[0], 'the message after a restart');
      expect(message.text).toBe('after a restart');
      expect(run.received).toHaveLength(1);
    });

    it('normalizes an inbound message and hands it to receive', async (test) => {
      if (run.platform.inbound === false) return test.skip('the harness says its adapter only sends');
      await run.adapter.start(run.context);
      await harness.injectInbound({
        chatId: run.platform.directChatId,
        text: 'hello & <world> *',
        sender: { id: '77', name: 'Ann' },
      });
      const message = await run.waitFor(() => run.received[0], 'the inbound message');
      expect(message.kind ?? 'message').toBe('message');
      expect(message.channel).toBe(run.adapter.name);
      expect(message.chat).toMatchObject({ id: run.platform.directChatId, isGroup: false });
      expect(message.text).toBe('hello & <world> *');
      expect(message.sender).toMatchObject({ id: '77', name: 'Ann' });
      expect(message.platformMessageId).not.toBe('');
      expect(typeof message.mentionsBot).toBe('boolean');
      expect(Number.isFinite(message.timestamp)).toBe(true);
      expect(run.statuses.some((status) => status.state === 'connected')).toBe(true);
    });

    it('tells a group message from a direct one', async (test) => {
      if (run.platform.groups === false) return test.skip('the harness says its platform has no group chats');
      if (run.platform.inbound === false) return test.skip('the harness says its adapter only sends');
      await run.adapter.start(run.context);
      await harness.injectInbound({ chatId: run.platform.groupChatId, isGroup: true, text: 'to all', sender: { id: '77' } });
      const message = await run.waitFor(() => run.received[0], 'the group message');
      expect(message.chat).toMatchObject({ id: run.platform.groupChatId, isGroup: true });
    });

    it('knows its own account after start and reports its own messages unchanged', async (test) => {
      await run.adapter.start(run.context);
      const self = run.adapter.self;
      if (self === undefined) return test.skip('the adapter has no bot account (`self` stays undefined)');
      expect(self.id).not.toBe('');
      expect(self.name).not.toBe('');
      if (run.platform.echoesOwnMessages === false) return;
      await harness.injectInbound({ chatId: run.platform.directChatId, text: 'my own words', sender: { id: self.id } });
      const message = await run.waitFor(() => run.received[0], "the bot's own message");
      expect(message.sender.id).toBe(self.id);
    });

    it('sends text in both formats and returns the platform message id', async () => {
      await run.adapter.start(run.context);
      const address = { channel: run.adapter.name, chatId: run.platform.directChatId };
      const first = await run.adapter.send(address, { text: 'plain & <kept> *as is*', format: 'plain' });
      const second = await run.adapter.send(address, { text: 'a markdown reply', format: 'markdown' });
      expect(first.platformMessageId).not.toBe('');
      expect(second.platformMessageId).not.toBe(first.platformMessageId);
      const { messages } = await harness.sent();
      expect(
        messages.map(({ chatId, text, format, platformMessageId }) => ({ chatId, text, format, platformMessageId })),
      ).toEqual([
        { chatId: address.chatId, text: 'plain & <kept> *as is*', format: 'plain', platformMessageId: first.platformMessageId },
        { chatId: address.chatId, text: 'a markdown reply', format: 'markdown', platformMessageId: second.platformMessageId },
      ]);
    });

    it('sends a text of exactly the length limit as one message', async () => {
      await run.adapter.start(run.context);
      const text = 'x'.repeat(run.adapter.limits.maxMessageLength);
      await run.adapter.send({ channel: run.adapter.name, chatId: run.platform.directChatId }, { text, format: 'plain' });
      const { messages } = await harness.sent();
      expect(messages.map((message) => message.text)).toEqual([text]);
    });

    it('answers in the chat a message came from, through the address string', async (test) => {
      if (run.platform.inbound === false) return test.skip('the harness says its adapter only sends');
      await run.adapter.start(run.context);
      const isGroup = run.platform.groups !== false;
      const chatId = isGroup ? run.platform.groupChatId : run.platform.directChatId;
      await harness.injectInbound({ chatId, isGroup, text: 'where am I', sender: { id: '77' } });
      const inbound = await run.waitFor(() => run.received[0], 'the inbound message');
      const written = formatAddress({ channel: inbound.channel, chatId: inbound.chat.id });
      const address = parseAddress(written);
      expect(formatAddress(address)).toBe(written);
      await run.adapter.send(address, { text: 'here', format: 'plain', replyTo: inbound.platformMessageId });
      const { messages } = await harness.sent();
      expect(messages.map((message) => message.chatId)).toEqual([chatId]);
    });

    describeCapabilityCases(harness, current);
  });
}
