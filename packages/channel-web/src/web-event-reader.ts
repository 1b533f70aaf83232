// Test support: reads a Server-Sent Events body as a browser's EventSource would.

/** One event as a reader sees it; `comment` holds the text of a comment line (heartbeats). */
export interface ReadEvent {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** A reader of one event stream. */
export interface WebEventReader {
  /** The next event or comment; undefined when the stream ended. */
  next(): Promise<ReadEvent | undefined>;
  /** Events (comments skipped) until `stop` says to, inclusive. */
  until(stop: (event: ReadEvent) => boolean): Promise<ReadEvent[]>;
  /** Stops reading (the connection is closed, as a closed tab would). */
  cancel(): Promise<void>;
}

/** Reads the SSE body of `response`. */
export function readWebEvents(response: Response): WebEventReader {
  if (response.body === null) throw new Error('[test] the response has no body');
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  const pending: ReadEvent[] = [];

  const parse = (block: string) => {
    const event: ReadEvent = {};
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        pending.push({ comment: line.slice(1).trim() });
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id' || field === 'event' || field === 'data') event[field] = value;
    }
    if (event.id !== undefined || event.event !== undefined || event.data !== undefined) pending.push(event);
  };

  const next = async (): Promise<ReadEvent | undefined> => {
    for (;;) {
      const ready = pending.shift();
      if (ready) return ready;
      const { done, value } = await reader.read();
      if (done) return undefined;
      buffered += decoder.decode(value, { stream: true });
      let end = buffered.indexOf('\n\n');
      while (end >= 0) {
        parse(buffered.slice(0, end));
        buffered = buffered.slice(end + 2);
        end = buffered.indexOf('\n\n');
      }
    }
  };

  return {
    next,
    async until(stop) {
      const events: ReadEvent[] = [];
      for (;;) {
        const event = await next();
        if (event === undefined) throw new Error(`[test] the stream ended after ${events.length} events`);
        if (event.comment !== undefined) continue;
        events.push(event);
        if (stop(event)) return events;
      }
    },
    cancel: () => reader.cancel(),
  };
}
