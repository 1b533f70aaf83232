// Test support: the channel contract's harness for the Cloud API mode, backed by the fake Cloud API of
// @ngb/testing: signed webhook requests go to `handleWebhook`, sends reach the fake over real HTTP.
import type { MessageFormat } from '@ngb/plugin-sdk';
import type { ChannelHarness, HarnessInbound, HarnessSent } from '@ngb/plugin-sdk/testing';
import { createFakeWhatsAppCloudServer, type FakeWhatsAppCloudServer, type FakeWhatsAppInbound } from '@ngb/testing';
import { createWhatsAppChannel } from '../whatsapp-channel';
import type { WhatsAppCloudChannel } from '../whatsapp-cloud-channel';
import type { WhatsAppChannelOptions } from '../whatsapp-options';

/** Where the harness pretends the server mounts the webhook (requests go to `handleWebhook` directly). */
const webhookUrl = 'http://ngb.invalid/channels/whatsapp/webhook';

/**
 * The Cloud API harness. The Cloud API has one-to-one chats only, and a chat's id is the person's
 * WhatsApp id: the harness sends each message from `sender.id` (the contract's direct chat is `77`).
 * A WhatsApp text carries no format flag (a plain and a markdown text without markup are the same bytes),
 * so `sent()` reports the format `send` was asked for; the text is the fake's rendering of what arrived.
 */
export function createWhatsAppCloudHarness(options: Partial<WhatsAppChannelOptions> = {}): ChannelHarness & {
  readonly fake: FakeWhatsAppCloudServer;
  readonly channel: WhatsAppCloudChannel;
} {
  let fake: FakeWhatsAppCloudServer | undefined;
  let channel: WhatsAppCloudChannel | undefined;
  const formats = new Map<string, MessageFormat>();
  const current = () => {
    if (!fake || !channel) throw new Error('[test] call create() first');
    return { fake, channel };
  };
  const inboundOf = (input: HarnessInbound): FakeWhatsAppInbound => {
    const { fake } = current();
    const [file] = input.attachments ?? [];
    return {
      from: input.sender.id,
      ...(input.sender.name ? { name: input.sender.name } : {}),
      text: input.text,
      ...(input.replyTo ? { replyTo: input.replyTo, replyToFrom: input.sender.id === '77' ? '78' : '77' } : {}),
      ...(file
        ? {
            media: {
              type: file.mimeType.startsWith('image/') ? 'image' : 'document',
              id: fake.addMedia({ data: file.data, mimeType: file.mimeType }),
              mimeType: file.mimeType,
              filename: file.name,
            },
          }
        : {}),
    };
  };
  return {
    get fake() {
      return current().fake;
    },
    get channel() {
      return current().channel;
    },
    platform: { directChatId: '77', groups: false, echoesOwnMessages: false, replies: true },
    async create() {
      await fake?.close();
      formats.clear();
      fake = await createFakeWhatsAppCloudServer();
      const created = createWhatsAppChannel({
        mode: 'cloud',
        phoneNumberId: fake.phoneNumberId,
        apiBaseUrl: fake.url,
        apiVersion: fake.apiVersion,
        accessToken: fake.accessToken,
        appSecret: fake.appSecret,
        verifyToken: fake.verifyToken,
        ...options,
      }) as WhatsAppCloudChannel;
      const send = created.send.bind(created);
      created.send = async (address, message) => {
        const receipt = await send(address, message);
        formats.set(receipt.platformMessageId, message.format);
        return receipt;
      };
      channel = created;
      return created;
    },
    async injectInbound(input) {
      const { fake, channel } = current();
      const response = await channel.handleWebhook(fake.webhookRequest(webhookUrl, inboundOf(input)).request);
      if (response.status !== 200) throw new Error(`[test] the webhook answered ${response.status}`);
    },
    webhookRequest(input, { signed }) {
      return current().fake.webhookRequest(webhookUrl, inboundOf(input), { signed }).request;
    },
    async sent(): Promise<HarnessSent> {
      const sent: HarnessSent = { messages: [], edits: [], deletions: [], typing: [], files: [] };
      for (const message of current().fake.sent) {
        if (message.media) {
          sent.files.push({
            chatId: message.to,
            platformMessageId: message.id,
            name: message.media.filename ?? '',
            size: message.media.size,
            ...(message.text === '' ? {} : { caption: message.text }),
          });
          continue;
        }
        sent.messages.push({
          chatId: message.to,
          platformMessageId: message.id,
          text: message.text,
          format: formats.get(message.id) ?? 'markdown',
          ...(message.replyTo ? { replyTo: message.replyTo } : {}),
        });
      }
      return sent;
    },
    async dispose() {
      await fake?.close();
      fake = undefined;
    },
  };
}
