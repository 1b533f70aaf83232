// Test support: the channel contract's harness for WeCom app mode, driving the adapter through the fake
// WeCom of @ngb/testing (real HTTP on loopback for the API; callbacks encrypted and signed by the fake
// and handed to the adapter's webhook handler as the server would).
import type { ChannelHarness, HarnessInbound, HarnessSent } from '@ngb/plugin-sdk/testing';
import { createManualClock, type ManualClock } from '@ngb/plugin-sdk/testing';
import { createFakeWeComServer, type FakeWeComInbound, type FakeWeComServer } from '@ngb/testing';
import { createWeComChannel, type WeComChannel } from '../wecom-channel';
import type { WeComChannelOptions } from '../wecom-options';

/** The URL the server would mount the adapter at (the harness calls the handler directly). */
export const webhookUrl = 'http://gateway.test/channels/wecom/webhook';

/** What people see of a WeCom markdown message: markers and zero-width spaces removed. */
export function visibleWeComText(content: string, format: 'markdown' | 'plain'): string {
  if (format === 'plain') return content;
  return content
    .replace(/\[([^\]]*)\]\(([^)]*)\)/g, '$1')
    .replace(/\*\*/g, '')
    .replace(/`/g, '')
    .replace(/^#{1,6} /gm, '')
    .replace(/^> /gm, '')
    .replaceAll('\u200b', '');
}

/**
 * A markdown list whose WeCom rendering (a three-byte bullet for each one-byte dash) passes the 2048
 * bytes WeCom takes while the same text as plain text fits: the adapter resends it as plain.
 */
const tooLongOnceConverted = Array.from({ length: 300 }, () => '- 中').join('\n');

/** The harness, with the fake and adapter of the case running now. */
export function createWeComChannelHarness(options: Partial<WeComChannelOptions> = {}): ChannelHarness & {
  readonly fake: FakeWeComServer;
  readonly channel: WeComChannel;
  readonly clock: ManualClock;
} {
  let fake: FakeWeComServer | undefined;
  let channel: WeComChannel | undefined;
  const clock = createManualClock(Date.now());
  const current = () => {
    if (!fake || !channel) throw new Error('[test] call create() first');
    return { fake, channel };
  };
  const inboundOf = (input: HarnessInbound, server: FakeWeComServer): FakeWeComInbound => {
    if (input.sender.name !== undefined) server.addUser(input.sender.id, input.sender.name);
    const group = input.isGroup ? { chatId: input.chatId.replace(/^group\//, '') } : {};
    const file = input.attachments?.[0];
    if (file) {
      const media = server.addMedia({ name: file.name, contentType: file.mimeType, data: file.data });
      return { msgType: 'file', fromUser: input.sender.id, mediaId: media.mediaId, fileName: file.name, ...group };
    }
    return { fromUser: input.sender.id, content: input.text, ...group };
  };
  return {
    get fake() {
      return current().fake;
    },
    get channel() {
      return current().channel;
    },
    clock,
    platform: {
      // Application messages are 1:1: the chat is the person, so the direct chat is the sender's userid.
      directChatId: '77',
      groupChatId: 'group/2002',
      echoesOwnMessages: false,
      rejectedMarkup: tooLongOnceConverted,
    },
    async create() {
      await fake?.close();
      fake = await createFakeWeComServer({ now: () => clock.now() });
      channel = createWeComChannel({
        corpId: fake.corpId,
        agentId: fake.agentId,
        secret: fake.secret,
        token: fake.token,
        encodingAesKey: fake.encodingAesKey,
        apiBaseUrl: fake.url,
        clock,
        ...options,
      });
      return channel;
    },
    async injectInbound(input) {
      const { fake: server, channel: adapter } = current();
      await adapter.handleWebhook?.(server.callbackRequest(webhookUrl, inboundOf(input, server)));
    },
    webhookRequest(input, { signed }) {
      const { fake: server } = current();
      return server.callbackRequest(webhookUrl, inboundOf(input, server), signed ? {} : { signWith: 'not-the-token' });
    },
    async sent(): Promise<HarnessSent> {
      const { fake: server } = current();
      const sent: HarnessSent = { messages: [], edits: [], deletions: [], typing: [], files: [] };
      const chatOf = (message: { toUser: string; chatId?: string }) =>
        message.chatId === undefined ? message.toUser : `group/${message.chatId}`;
      for (let index = 0; index < server.sent.length; index += 1) {
        const message = server.sent[index];
        if (!message) continue;
        if (message.media) {
          const next = server.sent[index + 1];
          const caption = next && !next.media && chatOf(next) === chatOf(message) && next.msgtype === 'text' ? next : undefined;
          if (caption) index += 1;
          sent.files.push({
            chatId: chatOf(message),
            platformMessageId: message.msgid,
            name: message.media.name,
            size: message.media.data.length,
            ...(caption ? { caption: caption.content } : {}),
          });
          continue;
        }
        const format = message.msgtype === 'markdown' ? 'markdown' : 'plain';
        sent.messages.push({
          chatId: chatOf(message),
          platformMessageId: message.msgid,
          text: visibleWeComText(message.content, format),
          format,
        });
      }
      for (const msgid of server.recalls) {
        const message = server.sent.find((candidate) => candidate.msgid === msgid);
        sent.deletions.push({ chatId: message ? chatOf(message) : '', platformMessageId: msgid });
      }
      return sent;
    },
    async dispose() {
      await fake?.close();
      fake = undefined;
    },
  };
}
