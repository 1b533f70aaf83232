import type { EventBus, TimedGatewayEvent } from '@ngb/core';
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
 * listener on the bus (not one per client), each event framed once, and the events of an interval
 * (`coalesceMs`, or sooner past `flushBytes`) joined into one chunk that every stream takes as it
 * is. An event costs the same with fifty clients as with one; each interval costs one socket write
 * per client. A stream too slow to take a chunk is dropped by the stream itself, as before.
 */
export function createEventFanOut(
  bus: EventBus,
  encode: (event: TimedGatewayEvent) => Uint8Array,
  options: { coalesceMs?: number; flushBytes?: number } = {},
): EventFanOut {
  const coalesceMs = options.coalesceMs ?? 50;
  const flushBytes = options.flushBytes ?? 64 * 1024;
  const streams = new Set<SseStream>();
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (batch.length === 0) return;
    const chunk = batch.length === 1 ? (batch[0] as Uint8Array) : Buffer.concat(batch, batchBytes);
    batch = [];
    batchBytes = 0;
    // A stream dropped here leaves the set while it is walked, which a Set allows.
    for (const stream of streams) stream.sendBatch(chunk);
  };
  const listener = (event: TimedGatewayEvent) => {
    const frame = encode(event);
    batch.push(frame);
    batchBytes += frame.byteLength;
    if (batchBytes >= flushBytes) flush();
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
        for (const event of replay.events) stream.sendEncoded(encode(event));
      }
      streams.add(stream);
      unsubscribe ??= bus.on(listener);
      return () => {
        if (!streams.delete(stream) || streams.size > 0) return;
        unsubscribe?.();
        unsubscribe = undefined;
        clearTimeout(timer);
        timer = undefined;
        batch = [];
        batchBytes = 0;
      };
    },
    size: () => streams.size,
  };
}
