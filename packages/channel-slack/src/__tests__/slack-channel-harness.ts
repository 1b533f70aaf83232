// Test support: the channel contract's harness for Slack, backed by the fake Slack of @ngb/testing.
import type { ChannelHarness, HarnessInbound, HarnessSent } from '@ngb/plugin-sdk/testing';
import { createManualClock } from '@ngb/plugin-sdk/testing';
import { createFakeSlackServer, type FakeSlackServer } from '@ngb/testing';
import { createSlackChannel, type SlackChannel } from '../slack-channel';
import type { SlackChannelOptions } from '../slack-options';

/** Markdown whose converted markup the fake rejects (`invalid_blocks`), so the adapter resends it plain. */
const rejectedMarkup = 'a *reply* with [[refused]] markup';

/**
 * The harness in either mode: `socket` delivers the fake's envelopes over Socket Mode (a manual clock,
 * so no watchdog or reconnect fires by itself); `events` posts signed Events API requests to
 * `handleWebhook` (the system clock, which the fake signs with).
 */
export function createSlackChannelHarness(
  mode: 'socket' | 'events',
  options: Partial<SlackChannelOptions> = {},
): ChannelHarness & { readonly fake: FakeSlackServer; readonly channel: SlackChannel } {
  let fake: FakeSlackServer | undefined;
  let channel: SlackChannel | undefined;
  const authors = new Map<string, string>();
  const current = () => {
    if (!fake || !channel) throw new Error('[test] call create() first');
    return { fake, channel };
  };

  async function post(input: HarnessInbound) {
    const { fake } = current();
    if (input.sender.name !== undefined)
      fake.addUser({ id: input.sender.id, name: input.sender.name.toLowerCase(), displayName: input.sender.name });
    if (input.kind === 'edit') return fake.editMessage(input.chatId, String(input.messageId), input.text);
    if (input.kind === 'delete') return fake.deleteMessage(input.chatId, String(input.messageId));
    const files = input.attachments?.map((file) =>
      fake.addFile({ name: file.name, mimetype: file.mimeType, data: file.data, user: input.sender.id }),
    );
    const threadTs = input.threadId ?? input.replyTo;
    const posted = fake.postMessage({
      channel: input.chatId,
      user: input.sender.id,
      text: input.text,
      ...(threadTs !== undefined ? { threadTs, parentUserId: authors.get(`${input.chatId}:${threadTs}`) } : {}),
      ...(files ? { files } : {}),
      ...(input.sender.id === fake.botUserId ? { botId: 'BBOT0001' } : {}),
    });
    authors.set(`${input.chatId}:${posted.ts}`, input.sender.id);
    return posted;
  }

  return {
    get fake() {
      return current().fake;
    },
    get channel() {
      return current().channel;
    },
    platform: {
      directChatId: 'D1001',
      groupChatId: 'C2002',
      replies: true,
      edits: true,
      deletions: true,
      rejectedMarkup,
    },
    async create() {
      await fake?.close();
      authors.clear();
      fake = await createFakeSlackServer();
      fake.rejectMarkup('[[refused]]');
      channel = createSlackChannel({
        botToken: fake.botToken,
        apiUrl: fake.apiUrl,
        mode,
        ...(mode === 'socket' ? { appToken: fake.appToken, clock: createManualClock() } : { signingSecret: fake.signingSecret }),
        ...options,
      });
      return channel;
    },
    async injectInbound(input) {
      const posted = await post(input);
      if (mode === 'socket') return;
      const { fake, channel } = current();
      for (const event of posted.events) {
        const response = await channel.handleWebhook?.(fake.signedRequest(fake.eventCallback(event)));
        if (!response?.ok) throw new Error(`[test] the webhook answered ${response?.status}`);
      }
    },
    async pressButton(input) {
      const { fake, channel } = current();
      if (input.sender.name !== undefined)
        fake.addUser({ id: input.sender.id, name: input.sender.name.toLowerCase(), displayName: input.sender.name });
      const press = { channel: input.chatId, ts: input.platformMessageId, value: input.choiceId, user: input.sender.id };
      if (mode === 'socket') return void fake.pressButton(press);
      const response = await channel.handleWebhook?.(fake.interactionRequest(fake.pressPayload(press)));
      if (!response?.ok) throw new Error(`[test] the webhook answered ${response?.status}`);
    },
    async webhookRequest(input, { signed }) {
      const { fake } = current();
      const posted = await post(input);
      const event = posted.events[0];
      if (!event) throw new Error('[test] the fake made no event');
      return fake.signedRequest(fake.eventCallback(event), signed ? {} : { signingSecret: 'not-the-signing-secret' });
    },
    async sent(): Promise<HarnessSent> {
      const sent = current().fake.sent();
      return {
        messages: sent.messages.map((message) => ({
          chatId: message.channel,
          ...(message.threadTs !== undefined ? { threadId: message.threadTs } : {}),
          platformMessageId: message.ts,
          text: message.text,
          format: message.format,
          ...(message.buttons ? { buttons: message.buttons.map((button) => ({ id: button.value, label: button.text })) } : {}),
        })),
        edits: sent.edits.map((edit) => ({
          chatId: edit.channel,
          platformMessageId: edit.ts,
          text: edit.text,
          format: edit.format,
        })),
        deletions: sent.deletions.map((deletion) => ({ chatId: deletion.channel, platformMessageId: deletion.ts })),
        typing: [],
        files: sent.files.map((file) => ({
          chatId: file.channel,
          platformMessageId: file.ts,
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
