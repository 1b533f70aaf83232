import { type Address, type ChannelAdapter, type Clock, canEdit, type Logger, type OutboxRepository } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import type { EventBus } from './events';
import { openReplyStream, type ReplyStream, type StreamingSettings } from './reply-stream';

const positive = v.pipe(v.number(), v.integer(), v.minValue(1));
const timerDelay = v.pipe(positive, v.maxValue(2 ** 31 - 1, 'must be at most 2147483647 ms (about 24.8 days)'));

/** The gateway's `streaming` option: per channel name, when its replies stream. Off for every channel by default. */
export const streamingOptionSchema = v.optional(
  v.record(
    v.string(),
    v.object({
      firstAfterChars: v.optional(positive, 80),
      firstAfterMs: v.optional(timerDelay, 1_000),
      editIntervalMs: v.optional(timerDelay, 1_500),
    }),
  ),
  {},
);

/** What streaming replies needs. */
export interface ReplyStreamsOptions {
  outbox: Pick<OutboxRepository, 'openStream' | 'recordStreamMessage'>;
  bus: Pick<EventBus, 'on'>;
  clock: Clock;
  logger: Logger;
  /** The running channels by name. */
  channels: ReadonlyMap<string, ChannelAdapter>;
  /** Channels whose replies stream, by name. */
  streaming: Readonly<Record<string, StreamingSettings>>;
}

/** The turn whose reply may stream. */
interface StreamedTurn {
  turnId: string;
  sessionId: string;
  origin?: Address;
  hop: number;
}

/** Streaming of turns' replies into platform messages, for the channels configured for it. */
export interface ReplyStreams {
  /** Warns once for each configured channel that is missing or cannot edit (it then never streams). */
  check(): void;
  /**
   * Starts streaming the turn's reply (its `text.delta` events) when the reply goes to a channel
   * that streams; undefined otherwise. Stop the stream before the turn commits.
   */
  open(turn: StreamedTurn): ReplyStream | undefined;
}

/** Creates {@link ReplyStreams}. */
export function createReplyStreams(options: ReplyStreamsOptions): ReplyStreams {
  const { channels, streaming } = options;
  return {
    check() {
      for (const name of Object.keys(streaming)) {
        const channel = channels.get(name);
        if (!channel) options.logger.warn('streaming is set for a channel that does not run; ignored', { channel: name });
        else if (!canEdit(channel))
          options.logger.warn('streaming is set for a channel that cannot edit messages; its replies are sent whole', {
            channel: name,
          });
      }
    },
    open(turn) {
      const { origin } = turn;
      const settings = origin ? streaming[origin.channel] : undefined;
      const channel = origin ? channels.get(origin.channel) : undefined;
      if (!origin || !settings || !channel || !canEdit(channel)) return undefined;
      const stream = openReplyStream({
        outbox: options.outbox,
        channel,
        address: origin,
        entry: {
          key: `${turn.turnId}:reply`,
          sessionId: turn.sessionId,
          turnId: turn.turnId,
          channel: origin.channel,
          chatId: origin.chatId,
          threadId: origin.threadId,
          text: '',
          format: 'markdown',
          hop: turn.hop,
        },
        clock: options.clock,
        logger: options.logger,
        settings,
      });
      const offText = options.bus.on('text.delta', (event) => {
        if (event.turnId === turn.turnId) stream.append(event.text);
      });
      const offRetracted = options.bus.on('text.retracted', (event) => {
        if (event.turnId === turn.turnId) stream.retract(event.length);
      });
      const offTool = options.bus.on('tool.start', (event) => {
        if (event.turnId === turn.turnId) stream.nextStep();
      });
      const unsubscribe = () => {
        offText();
        offRetracted();
        offTool();
      };
      return {
        ...stream,
        stop: () => {
          unsubscribe();
          return stream.stop();
        },
        interrupt: () => {
          unsubscribe();
          return stream.interrupt();
        },
      };
    },
  };
}
