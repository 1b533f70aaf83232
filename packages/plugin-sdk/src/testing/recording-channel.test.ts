import { describe, expect, it } from 'vitest';
import { ChannelApiError } from '../errors';
import { describeChannelContract } from './channel-contract';
import { createRecordingChannel } from './recording-channel';

describeChannelContract('recording channel', async () => {
  const adapter = createRecordingChannel({ name: 'fake', limits: { maxMessageLength: 100 } });
  return {
    adapter,
    deliverInbound: async ({ chatId, text, isGroup, senderId }) =>
      adapter.inject({ text, chat: { id: chatId, isGroup: isGroup ?? false }, sender: { id: senderId ?? 'user-1' } }),
    sentTexts: async () => adapter.sent.map((sent) => ({ chatId: sent.address.chatId, text: sent.message.text })),
    close: async () => undefined,
  };
});

describe('recording channel', () => {
  it('fails the requested number of sends with a retryable error, then recovers', async () => {
    const channel = createRecordingChannel();
    channel.failNextSends(2);
    const address = { channel: 'fake', chatId: 'c' };
    const first = await channel.send(address, { text: 'a' }).catch((error: unknown) => error);
    expect(ChannelApiError.isInstance(first) && first.retryable).toBe(true);
    await expect(channel.send(address, { text: 'a' })).rejects.toThrow('unavailable');
    await expect(channel.send(address, { text: 'a' })).resolves.toEqual({ platformMessageId: 'sent-1' });
  });

  it('refuses text over its limit', async () => {
    const channel = createRecordingChannel({ limits: { maxMessageLength: 3 } });
    await expect(channel.send({ channel: 'fake', chatId: 'c' }, { text: 'abcd' })).rejects.toThrow('exceeds 3');
  });

  it('waitForSends times out with a count', async () => {
    const channel = createRecordingChannel();
    await expect(channel.waitForSends(1, 20)).rejects.toThrow('0 of 1 sends');
  });
});
