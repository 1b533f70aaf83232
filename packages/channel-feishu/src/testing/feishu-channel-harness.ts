// Test support: the channel contract's harness for Feishu, backed by the fake Feishu of @ngb/testing.
import type { ChannelHarness, HarnessInbound, HarnessSent } from '@ngb/plugin-sdk/testing';
import { createFakeFeishuServer, type FakeFeishuEnvelope, type FakeFeishuServer } from '@ngb/testing';
import { createFeishuChannel, type FeishuChannel } from '../feishu-channel';
import type { FeishuChannelOptions } from '../feishu-options';

/** Markdown whose converted post the fake refuses (230001), so the adapter resends it as plain text. */
const rejectedMarkup = 'a *reply* with [[refused]] markup';

/**
 * The harness: each inbound is an event envelope the fake builds. In webhook mode it is posted to
 * `handleWebhook` as the event subscription posts it — plain with the verification token, or encrypted
 * and signed when `encryptKey` is given; in websocket mode the fake pushes it over the long connection
 * and the inbound is done when the channel acked it.
 */
export function createFeishuChannelHarness(
  settings: { encryptKey?: string; mode?: 'webhook' | 'websocket' } = {},
  options: Partial<FeishuChannelOptions> = {},
): ChannelHarness & { readonly fake: FakeFeishuServer; readonly channel: FeishuChannel } {
  let fake: FakeFeishuServer | undefined;
  let channel: FeishuChannel | undefined;
  const current = () => {
    if (!fake || !channel) throw new Error('[test] call create() first');
    return { fake, channel };
  };

  function envelopeOf(input: HarnessInbound): FakeFeishuEnvelope {
    const { fake } = current();
    if (input.sender.name !== undefined) fake.addUser(input.sender.id, input.sender.name);
    if (input.kind === 'delete') return fake.recallMessage(input.chatId, String(input.messageId), input.sender.id);
    const file = input.attachments?.[0];
    const fileContent = file
      ? { file_key: fake.addResource({ data: file.data, kind: 'file' }), file_name: file.name }
      : undefined;
    return fake.postMessage({
      chatId: input.chatId,
      chatType: input.isGroup ? 'group' : 'p2p',
      senderOpenId: input.sender.id,
      ...(input.sender.id === fake.botOpenId ? { senderType: 'app' as const } : {}),
      text: input.text,
      ...(fileContent ? { messageType: 'file', content: fileContent } : {}),
      ...(input.threadId !== undefined ? { rootId: input.threadId } : {}),
      ...(input.replyTo !== undefined ? { parentId: input.replyTo } : {}),
    });
  }

  return {
    get fake() {
      return current().fake;
    },
    get channel() {
      return current().channel;
    },
    platform: {
      directChatId: 'oc_direct0001',
      groupChatId: 'oc_group0001',
      // Feishu does not deliver the bot's own messages to it.
      echoesOwnMessages: false,
      replies: true,
      deletions: true,
      rejectedMarkup,
    },
    async create() {
      await fake?.close();
      fake = await createFakeFeishuServer(settings.encryptKey ? { encryptKey: settings.encryptKey } : {});
      fake.rejectMarkup('[[refused]]');
      channel = createFeishuChannel({
        appId: fake.appId,
        appSecret: fake.appSecret,
        domain: fake.url,
        mode: settings.mode ?? 'webhook',
        verificationToken: fake.verificationToken,
        ...(settings.encryptKey ? { encryptKey: settings.encryptKey } : {}),
        ...options,
      });
      return channel;
    },
    async injectInbound(input) {
      const { fake, channel } = current();
      if (settings.mode === 'websocket') {
        const code = await fake.push(envelopeOf(input));
        if (code !== 200) throw new Error(`[test] the long connection acked ${code}`);
        return;
      }
      const response = await channel.handleWebhook?.(fake.request(envelopeOf(input)));
      if (!response?.ok) throw new Error(`[test] the webhook answered ${response?.status}`);
    },
    webhookRequest:
      settings.mode === 'websocket'
        ? undefined
        : async (input, { signed }) => {
            const { fake } = current();
            const envelope = envelopeOf(input);
            if (signed) return fake.request(envelope);
            // Without an encrypt key the verification token is the only proof; with one, the signature.
            return settings.encryptKey
              ? fake.request(envelope, { signWith: 'not-the-encrypt-key' })
              : fake.request({ ...envelope, header: { ...envelope.header, token: 'not-the-verification-token' } });
          },
    async sent(): Promise<HarnessSent> {
      const sent = current().fake.sent();
      return {
        messages: sent.messages.map((message) => ({
          chatId: message.chatId,
          ...(message.threadId !== undefined ? { threadId: message.threadId } : {}),
          platformMessageId: message.messageId,
          text: message.text,
          format: message.format,
          ...(message.replyTo !== undefined ? { replyTo: message.replyTo } : {}),
        })),
        edits: sent.edits.map((edit) => ({
          chatId: edit.chatId,
          platformMessageId: edit.messageId,
          text: edit.text,
          format: edit.format,
        })),
        deletions: sent.deletions.map((deletion) => ({ chatId: deletion.chatId, platformMessageId: deletion.messageId })),
        typing: [],
        files: sent.files.map((file) => ({
          chatId: file.chatId,
          platformMessageId: file.messageId,
          name: file.name,
          size: file.size,
          ...(file.caption !== undefined ? { caption: file.caption } : {}),
        })),
      };
    },
    async dispose() {
      await fake?.close();
      fake = undefined;
    },
  };
}
