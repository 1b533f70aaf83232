import type { Address, ChannelAdapter, Clock, EditCapability, Logger, NewOutboxEntry, OutboxRepository } from '@ngb/plugin-sdk';
import { splitMessage } from './split-message';

/** When a channel's streamed replies first show, and how often they change. */
export interface StreamingSettings {
  /** The first message goes out once the reply has this many characters... */
  firstAfterChars: number;
  /** ...or once this long passed since the stream opened, whichever comes first. */
  firstAfterMs: number;
  /** Two passes of edits are at least this far apart (on the gateway's clock). */
  editIntervalMs: number;
}

/** A turn's reply text, shown in platform messages while the model writes it. */
export interface ReplyStream {
  /** Adds text the model wrote. */
  append(text: string): void;
  /** Takes back the last `length` characters appended (a model call that failed and is sent again). */
  retract(length: number): void;
  /** A new model step begins: its text starts a new paragraph. */
  nextStep(): void;
  /** Everything appended so far. */
  text(): string;
  /** True once a platform message shows (part of) the reply. */
  shown(): boolean;
  /** No more sends or edits; resolves once the one under way settled. Idempotent. */
  stop(): Promise<void>;
  /** Stops, then marks the last message shown as interrupted, so a half reply never looks final. */
  interrupt(): Promise<void>;
}

/** What one stream needs. */
export interface ReplyStreamOptions {
  outbox: Pick<OutboxRepository, 'openStream' | 'recordStreamMessage'>;
  channel: ChannelAdapter & EditCapability;
  address: Address;
  /** The reply's outbox row (its stable key `<turnId>:reply`), created on the first send. */
  entry: NewOutboxEntry;
  clock: Clock;
  logger: Logger;
  settings: StreamingSettings;
}

/** Appended to the last message shown when the turn failed or was cut off mid-reply. */
export const interruptedNote = '[reply interrupted]';

/**
 * Opens a reply stream: the first send after `firstAfterChars` characters or `firstAfterMs`, then
 * passes of edits never closer than `editIntervalMs`; a part that reaches the channel's length limit
 * stays as it is and the text goes on in a new message. Each message is recorded on the outbox row
 * right after the platform accepted it. Sends and edits are best effort: a failure is logged, and
 * delivery's final edit puts the final text in place anyway.
 */
export function openReplyStream(options: ReplyStreamOptions): ReplyStream {
  const { channel, address, clock, settings } = options;
  const { maxMessageLength: limit, maxMessageBytes } = channel.limits;
  const openedAt = clock.now();
  let text = '';
  let stepBreak = false;
  let entryId: string | undefined;
  let ids: string[] = [];
  // What each message shows, as far as this process knows (undefined: written by an earlier attempt).
  let showing: Array<string | undefined> = [];
  let lastPassAt: number | undefined;
  let timer: ReturnType<Clock['setTimeout']> | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const pass = async () => {
    if (entryId === undefined) {
      const entry = await options.outbox.openStream(options.entry);
      entryId = entry.id;
      ids = [...entry.streamMessageIds];
      showing = ids.map(() => undefined);
    }
    const parts = splitMessage(text.trimEnd(), limit, maxMessageBytes);
    for (const [index, part] of parts.entries()) {
      const id = ids[index];
      if (id !== undefined) {
        if (showing[index] === part) continue;
        await channel.edit(address, id, part, 'plain');
        showing[index] = part;
        continue;
      }
      const receipt = await channel.send(address, {
        text: part,
        format: 'plain',
        replyTo: index === 0 ? options.entry.replyToPlatformId : undefined,
        streaming: true,
      });
      ids.push(receipt.platformMessageId);
      showing.push(part);
      await options.outbox.recordStreamMessage(entryId, receipt.platformMessageId);
    }
  };

  const due = (): number | undefined => {
    if (text.trim() === '') return undefined;
    if (lastPassAt !== undefined) return lastPassAt + settings.editIntervalMs;
    return text.length >= settings.firstAfterChars ? clock.now() : openedAt + settings.firstAfterMs;
  };

  const request = () => {
    if (stopped || running !== undefined) return;
    const at = due();
    if (at === undefined) return;
    if (at > clock.now()) {
      timer ??= clock.setTimeout(() => {
        timer = undefined;
        request();
      }, at - clock.now());
      return;
    }
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    lastPassAt = clock.now();
    running = pass()
      .catch((error: unknown) => options.logger.warn('streaming a reply failed; delivery sends the final text', { error }))
      .finally(() => {
        running = undefined;
        if (showing.join('') !== text.trimEnd()) request();
      });
  };

  const stop = async () => {
    stopped = true;
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    await running;
  };

  // The time limit of the first send runs from the start, text or not.
  timer = clock.setTimeout(() => {
    timer = undefined;
    request();
  }, settings.firstAfterMs);

  return {
    append(delta) {
      if (stopped) return;
      if (stepBreak && text.trim() !== '') text += '\n\n';
      stepBreak = false;
      text += delta;
      request();
    },
    retract(length) {
      if (stopped || length <= 0) return;
      text = text.slice(0, Math.max(0, text.length - length));
      // The paragraph break put before the void text comes back with the call's retry.
      if (text.endsWith('\n\n')) {
        text = text.slice(0, -2);
        stepBreak = true;
      }
      request();
    },
    nextStep() {
      stepBreak = true;
    },
    text: () => text,
    shown: () => ids.length > 0,
    stop,
    async interrupt() {
      await stop();
      const index = ids.length - 1;
      const id = ids[index];
      if (id === undefined) return;
      const shownText = (showing[index] ?? text).trimEnd();
      const room = limit - interruptedNote.length - 2;
      try {
        await channel.edit(address, id, `${shownText.slice(0, Math.max(0, room))}\n\n${interruptedNote}`, 'plain');
      } catch (error) {
        options.logger.warn('marking a streamed reply as interrupted failed', { error });
      }
    },
  };
}
