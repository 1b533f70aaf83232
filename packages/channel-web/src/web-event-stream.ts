import type { Clock, Logger, TimerHandle } from '@ngb/plugin-sdk';
import type { Conversation, EventConnection, WebEvent } from './web-conversations';

/** How {@link openEventStream} serves one connection. */
export interface EventStreamOptions {
  conversation: Conversation;
  /** The `Last-Event-ID` the client resumes after; undefined for a first connection. */
  resumeAfter: number | undefined;
  /** Events queued for this reader at most; one more drops the connection. */
  queueSize: number;
  heartbeatMs: number;
  clock: Clock;
  logger: Logger;
  /** Extra response headers (a `Set-Cookie` for a new visitor). */
  headers: Record<string, string>;
  /** Every open stream, so `stop` can close them. */
  open: Set<{ close(): void }>;
}

const encoder = new TextEncoder();

function formatEvent(event: WebEvent): string {
  // JSON.stringify escapes line breaks, so the data is one `data:` line.
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/**
 * What a connection is sent first: after `Last-Event-ID`, every buffered event newer than it, or a
 * `reset` (reload the history) when some of those left the buffer or the id is from before a restart
 * (one this conversation never showed a client: it counts from 1 again, and a reply the gateway
 * finished after its restart may already have passed the number); without it, the events no
 * connection has been sent yet.
 */
function replayFor(conversation: Conversation, resumeAfter: number | undefined): WebEvent[] {
  if (resumeAfter === undefined) return conversation.events.filter((event) => event.id > conversation.deliveredUpTo);
  if (!conversation.idsShown || resumeAfter < conversation.evictedUpTo || resumeAfter > conversation.lastEventId)
    return [{ id: conversation.lastEventId, type: 'reset', data: {}, size: 2 }];
  return conversation.events.filter((event) => event.id > resumeAfter);
}

/**
 * Opens the Server-Sent Events stream of one conversation. The reader's queue is bounded: a reader
 * that falls `queueSize` events behind is dropped (it reconnects with `Last-Event-ID`), so no reader
 * ever slows `send`. A comment line every `heartbeatMs` keeps proxies from closing an idle stream.
 */
export function openEventStream(options: EventStreamOptions): Response {
  const { conversation, clock } = options;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let heartbeat: TimerHandle | undefined;
  let closed = false;

  const detach = () => {
    if (closed) return false;
    closed = true;
    if (heartbeat !== undefined) clock.clearTimeout(heartbeat);
    conversation.connections.delete(connection);
    options.open.delete(handle);
    return true;
  };
  const enqueue = (text: string) => {
    // desiredSize counts down as chunks wait for the reader: at 0 the queue is full.
    if ((controller.desiredSize ?? 0) <= 0) {
      if (detach()) {
        options.logger.debug('web chat reader too slow, connection dropped', { visitor: conversation.id });
        controller.error(new Error('[@ngb/channel-web] the reader fell too far behind'));
      }
      return;
    }
    controller.enqueue(encoder.encode(text));
  };
  const beat = () => {
    heartbeat = clock.setTimeout(() => {
      if (closed) return;
      enqueue(': heartbeat\n\n');
      if (!closed) beat();
    }, options.heartbeatMs);
  };
  const connection: EventConnection = {
    write(event) {
      if (!closed) enqueue(formatEvent(event));
    },
  };
  const handle = {
    close() {
      if (detach()) controller.close();
    },
  };

  const body = new ReadableStream<Uint8Array>(
    {
      start(streamController) {
        controller = streamController;
        const replay = replayFor(conversation, options.resumeAfter);
        conversation.idsShown = true;
        // One chunk, so a long replay is not mistaken for a reader falling behind.
        controller.enqueue(encoder.encode(`: connected\n\n${replay.map(formatEvent).join('')}`));
        const last = replay.at(-1);
        if (last && last.type !== 'reset') conversation.deliveredUpTo = Math.max(conversation.deliveredUpTo, last.id);
        conversation.connections.add(connection);
        options.open.add(handle);
        beat();
      },
      cancel() {
        detach();
      },
    },
    { highWaterMark: options.queueSize + 1 },
  );
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      ...options.headers,
    },
  });
}
