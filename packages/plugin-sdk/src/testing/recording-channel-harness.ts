import type { InboundReplyTo } from '../contracts/channel';
import type { ChannelHarness, HarnessInbound, HarnessPlatform, HarnessSent } from './channel-harness';
import { createRecordingChannel, type RecordingChannel, type RecordingChannelOptions } from './recording-channel';
import { createRecordingWebhookRequest, type RecordingInboundPayload } from './recording-webhook';

/** A {@link ChannelHarness} over the recording channel, with the channel it created last. */
export interface RecordingChannelHarness extends ChannelHarness {
  /** The channel `create` built last. */
  readonly channel: RecordingChannel | undefined;
}

/**
 * The harness that runs the channel contract against {@link createRecordingChannel}: messages reach it
 * through its webhook when it has one (as a platform would post them), else through `inject`.
 * @param platform what the fake platform does @default replies, edits and deletions reported
 */
export function createRecordingChannelHarness(
  options: RecordingChannelOptions = {},
  platform: HarnessPlatform = { replies: true, edits: true, deletions: true },
): RecordingChannelHarness {
  let channel: RecordingChannel | undefined;
  let counter = 0;
  const posted = new Map<string, { senderId: string; senderName?: string; text: string }>();
  const secret = options.capabilities?.webhook?.secret;

  const current = (): RecordingChannel => {
    if (!channel) throw new Error('[fake] call create() first');
    return channel;
  };
  const toPayload = (input: HarnessInbound): RecordingInboundPayload => {
    counter += 1;
    const platformMessageId = input.kind === undefined || input.kind === 'message' ? `h-${counter}` : (input.messageId ?? '');
    const quoted = input.replyTo === undefined ? undefined : posted.get(input.replyTo);
    const replyTo: InboundReplyTo | undefined =
      input.replyTo === undefined
        ? undefined
        : {
            id: input.replyTo,
            ...(quoted && { author: { id: quoted.senderId, name: quoted.senderName }, text: quoted.text }),
          };
    if (input.kind === undefined || input.kind === 'message')
      posted.set(platformMessageId, { senderId: input.sender.id, senderName: input.sender.name, text: input.text });
    return {
      ...(input.kind && { kind: input.kind }),
      chat: { id: input.chatId, isGroup: input.isGroup ?? false },
      ...(input.threadId !== undefined && { threadId: input.threadId }),
      platformMessageId,
      sender: input.sender,
      text: input.kind === 'delete' ? '' : input.text,
      ...(replyTo && { replyTo }),
      ...(input.attachments !== undefined && { files: input.attachments }),
    };
  };

  const harness: RecordingChannelHarness = {
    get channel() {
      return channel;
    },
    platform,
    async create() {
      channel = createRecordingChannel(options);
      posted.clear();
      return channel;
    },
    async injectInbound(input) {
      const target = current();
      const payload = toPayload(input);
      if (target.handleWebhook && secret !== undefined) {
        const response = await target.handleWebhook(createRecordingWebhookRequest(payload, secret));
        if (!response.ok) throw new Error(`[fake] the webhook answered ${response.status}: ${await response.text()}`);
        return;
      }
      await target.inject(payload);
    },
    async pressButton(press) {
      const label = current()
        .sent.find((sent) => sent.platformMessageId === press.platformMessageId)
        ?.message.choices?.find((choice) => choice.id === press.choiceId)?.label;
      await current().inject({
        kind: 'choice',
        choice: press.choiceId,
        text: label ?? '',
        chat: { id: press.chatId, isGroup: false },
        sender: press.sender,
        platformMessageId: `press-${press.platformMessageId}-${press.choiceId}`,
      });
    },
    async sent(): Promise<HarnessSent> {
      const target = current();
      return {
        messages: target.sent.map(({ address, message, platformMessageId }) => ({
          chatId: address.chatId,
          ...(address.threadId !== undefined && { threadId: address.threadId }),
          platformMessageId,
          text: message.text,
          format: message.format,
          ...(message.replyTo !== undefined && { replyTo: message.replyTo }),
          ...(message.choices !== undefined && { buttons: message.choices.map(({ id, label }) => ({ id, label })) }),
        })),
        edits: target.edits.map(({ address, platformMessageId, text, format }) => ({
          chatId: address.chatId,
          platformMessageId,
          text,
          format,
        })),
        deletions: target.deletions.map(({ address, platformMessageId }) => ({ chatId: address.chatId, platformMessageId })),
        typing: target.typing.map((address) => ({
          chatId: address.chatId,
          ...(address.threadId !== undefined && { threadId: address.threadId }),
        })),
        files: target.files.map(({ address, file, platformMessageId }) => ({
          chatId: address.chatId,
          platformMessageId,
          name: file.name,
          size: file.data.length,
          ...(file.caption !== undefined && { caption: file.caption }),
        })),
      };
    },
  };
  if (secret !== undefined) {
    harness.webhookRequest = (input, { signed }) =>
      createRecordingWebhookRequest(toPayload(input), signed ? secret : `not-${secret}`);
  }
  return harness;
}
