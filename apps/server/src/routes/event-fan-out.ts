import type { EventBus, TimedGatewayEvent } from '@ngb/core';
import { sseBatch } from '../http/sse-deflate';
import type { SseStream } from '../http/sse-stream';

/** The streams that take every live event, fed by one listener on the bus. */
export interface EventFanOut {
  /**
   * Adds a stream. With `after`, it first gets the buffered events after that sequence number
   * (`onMissed` first when some already left the buffer), then every live event: no gap, no repeat.
   * @returns a function that removes the stream
   */
  join(stream: SseStream, options?: { after?: number; onMissed?: () => void }): () => void;
  /** How many streams take the events now. */
  size(): number;
}

/**
 * Every unfiltered live-event client gets the same bytes, so they are made once for all of them: one
 * listener on the bus (not one per client), each event framed once, and the text of an interval's
 * events (`coalesceMs`, or sooner past `flushChars`) encoded once into one batch that every stream
 * takes as it is (compressed once, too, for the streams that asked for deflate). An event costs the
 * same with fifty clients as with one; each interval costs one socket write per client. A stream too slow to take a chunk is dropped by the stream itself, as before.
 */
export function createEventFanOut(
  bus: EventBus,
  frame: (event: TimedGatewayEvent) => string,
  options: { coalesceMs?: number; flushChars?: number } = {},
): EventFanOut {
  const coalesceMs = options.coalesceMs ?? 50;
  const flushChars = options.flushChars ?? 64 * 1024;
  const streams = new Set<SseStream>();
  let batch = '';
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (batch === '') return;
    const shared = sseBatch(batch);
    batch = '';
    // A stream dropped here leaves the set while it is walked, which a Set allows.
    for (const stream of streams) stream.sendBatch(shared);
  };
  const listener = (event: TimedGatewayEvent) => {
    batch += frame(event);
    if (batch.length >= flushChars) flush();
    else timer ??= setTimeout(flush, coalesceMs);
  };

  return {
    join(stream, { after, onMissed } = {}) {
      // What waits in the batch was emitted before this stream came: it goes to the others only.
      flush();
      if (after !== undefined) {
        // Emitting is synchronous, so nothing comes between the replay and joining.
        const replay = bus.since(after);
        if (replay.missed) onMissed?.();
        for (const event of replay.events) stream.sendEncoded(Buffer.from(frame(event)));
      }
      streams.add(stream);
      unsubscribe ??= bus.on(listener);
      return () => {
        if (!streams.delete(stream) || streams.size > 0) return;
        unsubscribe?.();
        unsubscribe = undefined;
        clearTimeout(timer);
        timer = undefined;
        batch = '';
      };
    },
    size: () => streams.size,
  };
}
