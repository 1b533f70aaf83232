// Test support: the channel contract's harness for WeCom robot mode (a group robot's webhook, send-only),
// driving the adapter against the fake WeCom of @ngb/testing over real HTTP on loopback.
import type { ChannelAdapter } from '@ngb/plugin-sdk';
import type { ChannelHarness, HarnessSent } from '@ngb/plugin-sdk/testing';
import { createFakeWeComServer, type FakeWeComServer } from '@ngb/testing';
import { createWeComChannel, type WeComChannel } from '../wecom-channel';
import { visibleWeComText } from './wecom-channel-harness';

/** The harness, with the fake and adapter of the case running now. */
export function createWeComRobotHarness(): ChannelHarness & { readonly fake: FakeWeComServer } {
  let fake: FakeWeComServer | undefined;
  let channel: WeComChannel | undefined;
  // The robot's webhook answers no message id, so the adapter makes its own receipts: the harness notes
  // the receipts of the sends that reached the fake, in order, to report them beside what the fake saw.
  let sentReceipts: string[] = [];
  const current = () => {
    if (!fake || !channel) throw new Error('[test] call create() first');
    return fake;
  };
  return {
    get fake() {
      return current();
    },
    // The robot's one chat: there is no other, and no inbound side.
    platform: { directChatId: 'robot', groups: false, inbound: false, echoesOwnMessages: false },
    async create() {
      await fake?.close();
      fake = await createFakeWeComServer();
      const adapter = createWeComChannel({ mode: 'robot', webhookKey: fake.robotKey, apiBaseUrl: fake.url });
      channel = adapter;
      sentReceipts = [];
      const noted = async <T extends { platformMessageId: string }>(sending: Promise<T>) => {
        const receipt = await sending;
        sentReceipts.push(receipt.platformMessageId);
        return receipt;
      };
      const sendFile = adapter.sendFile;
      const observed: ChannelAdapter & Pick<WeComChannel, 'sendFile'> = {
        specificationVersion: adapter.specificationVersion,
        name: adapter.name,
        limits: adapter.limits,
        start: (context) => adapter.start(context),
        stop: () => adapter.stop(),
        send: (address, message) => noted(adapter.send(address, message)),
        ...(sendFile ? { sendFile: (address, file) => noted(sendFile(address, file)) } : {}),
      };
      return observed;
    },
    async injectInbound() {
      throw new Error('[test] a WeCom group robot receives nothing');
    },
    async sent(): Promise<HarnessSent> {
      const server = current();
      const sent: HarnessSent = { messages: [], edits: [], deletions: [], typing: [], files: [] };
      // The robot's webhook gives no message ids: the receipts are the adapter's own, in send order.
      const receipts = [...sentReceipts];
      for (let index = 0; index < server.sent.length; index += 1) {
        const message = server.sent[index];
        if (!message) continue;
        const platformMessageId = receipts.shift() ?? '';
        if (message.media) {
          const next = server.sent[index + 1];
          const caption = next && !next.media && next.msgtype === 'text' ? next : undefined;
          if (caption) index += 1;
          sent.files.push({
            chatId: 'robot',
            platformMessageId,
            name: message.media.name,
            size: message.media.data.length,
            ...(caption ? { caption: caption.content } : {}),
          });
          continue;
        }
        const format = message.msgtype === 'markdown' ? 'markdown' : 'plain';
        sent.messages.push({ chatId: 'robot', platformMessageId, text: visibleWeComText(message.content, format), format });
      }
      return sent;
    },
    async dispose() {
      await fake?.close();
      fake = undefined;
    },
  };
}
