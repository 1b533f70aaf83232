/** One parsed Server-Sent Events message. */
export interface ReadSseMessage {
  id?: string;
  event?: string;
  data: string;
}

/** The sequence number in the id of a message of `/api/events` (`<run>-<seq>`); NaN for another id. */
export function seqOfId(id: string | undefined): number {
  return Number(/^[0-9a-f]{8}-(\d+)$/.exec(id ?? '')?.[1]);
}

/** Reads SSE messages from a response body, as a browser's EventSource would (comments skipped). */
export function readSse(response: Response) {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const pending: ReadSseMessage[] = [];
  const parse = (block: string): ReadSseMessage | undefined => {
    const message: ReadSseMessage = { data: '' };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':') || line === '') continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') message.id = value;
      else if (field === 'event') message.event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0 && message.event === undefined) return undefined;
    message.data = data.join('\n');
    return message;
  };
  return {
    /** The next message; undefined when the stream ended. */
    async next(): Promise<ReadSseMessage | undefined> {
      for (;;) {
        const queued = pending.shift();
        if (queued) return queued;
        const { done, value } = await reader.read();
        if (done) return undefined;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const parsed = parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (parsed) pending.push(parsed);
          end = buffer.indexOf('\n\n');
        }
      }
    },
    /** Reads until `until` holds for a message; returns every message read. */
    async until(until: (message: ReadSseMessage) => boolean): Promise<ReadSseMessage[]> {
      const read: ReadSseMessage[] = [];
      for (;;) {
        const message = await this.next();
        if (!message) throw new Error(`the stream ended after ${read.length} messages`);
        read.push(message);
        if (until(message)) return read;
      }
    },
    cancel: () => reader.cancel(),
  };
}
