import type { Address } from '../address';
import type {
  ChannelAdapter,
  ChannelContext,
  ChannelLimits,
  InboundMessage,
  OutboundMessage,
  SendReceipt,
  TypingCapability,
} from '../contracts/channel';
import { ChannelApiError } from '../errors';

/** One message the recording channel was asked to send. */
export interface RecordedSend {
  address: Address;
  message: OutboundMessage;
  platformMessageId: string;
}

/** Options of {@link createRecordingChannel}. */
export interface RecordingChannelOptions {
  /** Adapter name. @default 'fake' */
  name?: string;
  /** Platform limits. @default { maxMessageLength: 4096 } */
  limits?: ChannelLimits;
}

/** A channel adapter that records what it sends and lets a test post inbound messages. */
export interface RecordingChannel extends ChannelAdapter, TypingCapability {
  /** Messages sent, in order. */
  readonly sent: RecordedSend[];
  /** Addresses that got a typing indicator, in order. */
  readonly typing: Address[];
  /** True between `start` and `stop`. */
  readonly running: boolean;
  /**
   * Posts a message as the platform would; resolves when the core has stored it.
   * Fields left out get defaults (a DM from `user-1` in chat `chat-1`, a fresh message id, now).
   * @throws Error when the channel is not started
   */
  inject(message: Partial<InboundMessage> & { text: string }): Promise<void>;
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
  const sent: RecordedSend[] = [];
  const typing: Address[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let context: ChannelContext | undefined;
  let failures: Error[] = [];
  let messageCounter = 0;
  let sendCounter = 0;

  const notify = () => {
    for (const waiter of [...waiters]) {
      if (sent.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };

  return {
    specificationVersion: 1,
    name,
    limits: options.limits ?? { maxMessageLength: 4096 },
    sent,
    typing,
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
      if (message.text.length > this.limits.maxMessageLength) {
        throw new ChannelApiError(name, `[fake] message of ${message.text.length} exceeds ${this.limits.maxMessageLength}`, {
          status: 400,
        });
      }
      sendCounter += 1;
      const platformMessageId = `sent-${sendCounter}`;
      sent.push({ address, message, platformMessageId });
      notify();
      return { platformMessageId };
    },
    async sendTyping(address) {
      typing.push(address);
    },
    async inject(message) {
      if (!context) throw new Error(`[fake] channel "${name}" is not started`);
      messageCounter += 1;
      await context.receive({
        channel: name,
        chat: { id: 'chat-1', isGroup: false },
        platformMessageId: `in-${messageCounter}-${Date.now()}`,
        sender: { id: 'user-1' },
        mentionsBot: false,
        timestamp: Date.now(),
        ...message,
      });
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
}
