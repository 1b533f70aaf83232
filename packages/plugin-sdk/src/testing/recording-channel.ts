import type { Address } from '../address';
import { sendWithPlainFallback } from '../channel-support/send-with-plain-fallback';
import type {
  ChannelAdapter,
  ChannelContext,
  ChannelIdentity,
  ChannelLimits,
  InboundMessage,
  MessageFormat,
  OutboundMessage,
  SendReceipt,
} from '../contracts/channel';
import type {
  ButtonsCapability,
  DeleteCapability,
  EditCapability,
  FetchFilesCapability,
  FilesCapability,
  OutboundFile,
  ReactCapability,
  ThreadsCapability,
  TypingCapability,
  WebhookCapability,
} from '../contracts/channel-capabilities';
import { ChannelApiError, NotFoundError } from '../errors';
import { createRecordingFileStore } from './recording-files';
import { completeInbound } from './recording-inbound';
import { answerRecordingWebhook, type RecordingInboundPayload } from './recording-webhook';

/** One message the recording channel was asked to send, as the platform received it. */
export interface RecordedSend {
  /** Where it was sent, as the core asked. */
  address: Address;
  /** The message; its `format` is `plain` when the platform rejected the markup and it was resent. */
  message: OutboundMessage;
  platformMessageId: string;
}

/** One edit of a sent message. */
export interface RecordedEdit {
  address: Address;
  platformMessageId: string;
  text: string;
  format: MessageFormat;
}

/** Which optional capabilities the recording channel has. */
export interface RecordingCapabilities {
  /** {@link TypingCapability}. */
  typing?: boolean;
  /** {@link EditCapability}. */
  edit?: boolean;
  /** {@link DeleteCapability}. */
  delete?: boolean;
  /** {@link ReactCapability}. */
  react?: boolean;
  /** {@link FilesCapability} and {@link FetchFilesCapability}: sends files, and downloads those people attach. */
  files?: boolean;
  /** {@link ThreadsCapability}. */
  threads?: boolean;
  /** {@link ButtonsCapability}: sends `choices` as buttons; a test presses one with `inject({ kind: 'choice', ... })`. */
  buttons?: boolean;
  /** {@link WebhookCapability}, checking this shared secret (see `createRecordingWebhookRequest`). */
  webhook?: { secret: string };
}

/** Options of {@link createRecordingChannel}. */
export interface RecordingChannelOptions {
  /** Adapter name. @default 'fake' */
  name?: string;
  /** Platform limits. @default { maxMessageLength: 4096 } */
  limits?: ChannelLimits;
  /** The bot's own account, reported as `self` once started. @default { id: 'fake-bot', name: 'Fake bot' } */
  self?: ChannelIdentity;
  /** The capabilities it has. @default { typing: true } */
  capabilities?: RecordingCapabilities;
  /** Texts whose markdown the fake platform refuses (the channel then resends them as plain). @default none */
  rejectsMarkup?: (text: string) => boolean;
}

/**
 * A channel adapter that records what it sends and lets a test post inbound messages. The capability
 * methods exist only when its options ask for them, so the type guards (`canEdit`, ...) see the truth.
 */
export interface RecordingChannel
  extends ChannelAdapter,
    Partial<
      TypingCapability &
        EditCapability &
        DeleteCapability &
        ReactCapability &
        FilesCapability &
        FetchFilesCapability &
        WebhookCapability
    >,
    Partial<ThreadsCapability>,
    Partial<ButtonsCapability> {
  /** Messages sent, in order. */
  readonly sent: RecordedSend[];
  /** Addresses that got a typing indicator, in order. */
  readonly typing: Address[];
  /** Edits of sent messages, in order. */
  readonly edits: RecordedEdit[];
  /** Deleted messages, in order. */
  readonly deletions: Array<{ address: Address; platformMessageId: string }>;
  /** Reactions, in order. */
  readonly reactions: Array<{ address: Address; platformMessageId: string; emoji: string }>;
  /** Files sent, in order. */
  readonly files: Array<{ address: Address; file: OutboundFile; platformMessageId: string }>;
  /** Downloads of inbound attachments asked for, in order (refused ones too). */
  readonly fetches: Array<{ reference: string; maxBytes: number }>;
  /** True between `start` and `stop`. */
  readonly running: boolean;
  /**
   * Posts a message (or an edit or deletion, by `kind`) as the platform would; resolves when the core
   * has stored it. Fields left out get defaults (a DM from `user-1` in chat `chat-1`, a fresh message
   * id, now).
   * @throws Error when the channel is not started
   */
  inject(message: RecordingInboundPayload): Promise<void>;
  /**
   * Makes the next `count` sends fail with `error` (default: a retryable 503 ChannelApiError).
   */
  failNextSends(count: number, error?: Error): void;
  /** Resolves once `count` messages have been sent in total. */
  waitForSends(count: number, timeoutMs?: number): Promise<RecordedSend[]>;
}

/** Creates a {@link RecordingChannel}. */
export function createRecordingChannel(options: RecordingChannelOptions = {}): RecordingChannel {
  const name = options.name ?? 'fake';
  const limits = options.limits ?? { maxMessageLength: 4096 };
  const capabilities = options.capabilities ?? { typing: true };
  const identity = options.self ?? { id: 'fake-bot', name: 'Fake bot' };
  const rejectsMarkup = options.rejectsMarkup ?? (() => false);
  const sent: RecordedSend[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const live = new Set<string>();
  let context: ChannelContext | undefined;
  let failures: Error[] = [];
  let inboundCounter = 0;
  let outboundCounter = 0;

  const notify = () => {
    for (const waiter of [...waiters]) {
      if (sent.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  const checkLength = (text: string) => {
    if (text.length > limits.maxMessageLength) {
      throw new ChannelApiError(name, `[fake] message of ${text.length} exceeds ${limits.maxMessageLength}`, { status: 400 });
    }
  };
  // The fake platform's answer to markup it cannot parse, and the adapter's test for it.
  const markupError = () => new ChannelApiError(name, "[fake] can't parse the markup", { status: 400 });
  const isMarkupRejected = (error: unknown) => ChannelApiError.isInstance(error) && error.message.includes("can't parse");
  const platformAccepts = (text: string) => async (format: MessageFormat) => {
    if (format === 'markdown' && rejectsMarkup(text)) throw markupError();
    return format;
  };
  const nextId = () => {
    outboundCounter += 1;
    const platformMessageId = `sent-${outboundCounter}`;
    live.add(platformMessageId);
    return platformMessageId;
  };
  const fileStore = createRecordingFileStore(name);
  const normalize = ({ files, ...payload }: RecordingInboundPayload): InboundMessage => {
    inboundCounter += 1;
    const attachments = files === undefined ? undefined : fileStore.upload(files);
    return completeInbound(name, inboundCounter, {
      ...payload,
      ...(attachments && { attachments: [...(payload.attachments ?? []), ...attachments] }),
    });
  };

  const channel: RecordingChannel = {
    specificationVersion: 1,
    name,
    limits,
    sent,
    typing: [],
    edits: [],
    deletions: [],
    reactions: [],
    files: [],
    fetches: [],
    get self() {
      return context === undefined ? undefined : identity;
    },
    get running() {
      return context !== undefined;
    },
    async start(startContext) {
      context = startContext;
      startContext.setStatus({ state: 'connected' });
    },
    async stop() {
      context?.setStatus({ state: 'disconnected' });
      context = undefined;
    },
    async send(address, message): Promise<SendReceipt> {
      const failure = failures.shift();
      if (failure) throw failure;
      checkLength(message.text);
      const format = await sendWithPlainFallback(message.format, platformAccepts(message.text), isMarkupRejected);
      const platformMessageId = nextId();
      sent.push({ address: address, message: { ...message, format }, platformMessageId });
      notify();
      return { platformMessageId };
    },
    async inject(message) {
      if (!context) throw new Error(`[fake] channel "${name}" is not started`);
      await context.receive(normalize(message));
    },
    failNextSends(count, error) {
      failures = Array.from({ length: count }, () => error ?? new ChannelApiError(name, '[fake] unavailable', { status: 503 }));
    },
    waitForSends(count, timeoutMs = 10_000) {
      if (sent.length >= count) return Promise.resolve(sent.slice());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`[fake] ${sent.length} of ${count} sends after ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(sent.slice());
          },
        });
      });
    },
  };

  if (capabilities.typing) {
    channel.sendTyping = async (address) => void channel.typing.push(address);
  }
  if (capabilities.edit) {
    channel.edit = async (address, platformMessageId, text, format = 'plain') => {
      if (!live.has(platformMessageId)) throw new NotFoundError('message', platformMessageId);
      checkLength(text);
      const used = await sendWithPlainFallback(format, platformAccepts(text), isMarkupRejected);
      channel.edits.push({ address: address, platformMessageId, text, format: used });
    };
  }
  if (capabilities.delete) {
    channel.delete = async (address, platformMessageId) => {
      if (live.delete(platformMessageId)) channel.deletions.push({ address: address, platformMessageId });
    };
  }
  if (capabilities.react) {
    channel.react = async (address, platformMessageId, emoji) =>
      void channel.reactions.push({ address: address, platformMessageId, emoji });
  }
  if (capabilities.files) {
    channel.sendFile = async (address, file) => {
      const platformMessageId = nextId();
      channel.files.push({ address: address, file, platformMessageId });
      return { platformMessageId };
    };
    channel.fetchAttachment = async (attachment, fetchOptions) => {
      channel.fetches.push({ reference: attachment.reference, maxBytes: fetchOptions.maxBytes });
      return fileStore.fetch(attachment, fetchOptions);
    };
  }
  if (capabilities.threads) Object.assign(channel, { supportsThreads: true });
  if (capabilities.buttons) Object.assign(channel, { supportsButtons: true });
  const webhook = capabilities.webhook;
  if (webhook) {
    channel.handleWebhook = (request) => answerRecordingWebhook(request, webhook.secret, context, normalize);
  }
  return channel;
}
