import { type ChannelAdapter, type ChannelContext, type MessageFormat, silentLogger } from '@ngb/plugin-sdk';
import { type ChannelHarness, describeChannelContract, type HarnessSent } from '@ngb/plugin-sdk/testing/contracts';
import { describe, expect, it } from 'vitest';
import { createAgentChannel } from './agent-channel';

/**
 * The agent channel's platform is the gateway's own `receive`: the harness taps the context the
 * suite starts the adapter with, and reads what reached `receive` from a send as what was sent.
 * Another agent's message is a send from that agent's session.
 */
function createAgentChannelHarness(): ChannelHarness {
  let adapter: ChannelAdapter | undefined;
  let sent: HarnessSent;
  let names = new Map<string, string>();
  let formats: MessageFormat[] = [];
  let injecting = false;
  return {
    async create() {
      sent = { messages: [], edits: [], deletions: [], typing: [], files: [] };
      names = new Map();
      formats = [];
      const created = createAgentChannel({ clock: { now: () => Date.now() }, nameOf: async (id) => names.get(id) });
      const { start, send } = created;
      created.start = (context: ChannelContext) =>
        start({
          ...context,
          receive: async (message) => {
            const format = formats.shift() ?? 'markdown';
            if (!injecting) {
              const { chat, threadId, platformMessageId, text } = message;
              sent.messages.push({ chatId: chat.id, threadId, platformMessageId: `agent:${platformMessageId}`, text, format });
            }
            return context.receive(message);
          },
        });
      created.send = (address, message) => {
        formats.push(message.format);
        return send(address, message);
      };
      adapter = created;
      return created;
    },
    async injectInbound(input) {
      if (!adapter) throw new Error('[agent harness] call create() first');
      if (input.sender.name !== undefined) names.set(input.sender.id, input.sender.name);
      injecting = true;
      try {
        await adapter.send(
          { channel: adapter.name, chatId: input.chatId, threadId: input.threadId },
          { text: input.text, format: 'markdown', sessionId: input.sender.id },
        );
      } finally {
        injecting = false;
      }
    },
    async sent() {
      return sent;
    },
    platform: { groups: false, echoesOwnMessages: false },
  };
}

describeChannelContract('internal agent channel', createAgentChannelHarness());

describe('agent channel', () => {
  it('hands a send to receive with the writing session, its hop and the send key, so a redelivery is the same message', async () => {
    const received: Parameters<ChannelContext['receive']>[0][] = [];
    const channel = createAgentChannel({ clock: { now: () => 5 }, nameOf: async () => 'Expert' });
    await channel.start({
      receive: async (message) => {
        received.push(message);
        return { dropped: 'recorded' };
      },
      logger: silentLogger,
      setStatus: () => undefined,
    });
    const address = { channel: 'agent', chatId: 'asking-session' };
    const message = {
      text: '42',
      format: 'markdown' as const,
      sessionId: 'answering-session',
      hop: 1,
      idempotencyKey: 't1:reply',
    };
    const first = await channel.send(address, message);
    const again = await channel.send(address, message);
    expect(again).toEqual(first);
    expect(received).toEqual([
      expect.objectContaining({
        channel: 'agent',
        chat: { id: 'asking-session', isGroup: false },
        platformMessageId: 't1:reply',
      }),
      expect.objectContaining({ platformMessageId: 't1:reply' }),
    ]);
    expect(received[0]).toMatchObject({ sender: { id: 'answering-session', name: 'Expert' }, hop: 1, text: '42', timestamp: 5 });
  });
});
