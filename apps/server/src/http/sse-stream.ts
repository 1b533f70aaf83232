import type { ServerResponse } from 'node:http';
import { deflateEnd, deflateSegment, type SseBatch } from './sse-deflate';

/** One Server-Sent Events message. */
interface SseMessage {
  id?: string | number;
  event?: string;
  data: string;
}

/** A live SSE response that never blocks its writer: when the client falls behind, it is dropped. */
export interface SseStream {
  readonly response: Response;
  /** Queues a message; false (and the stream closed) when the client was too slow or is gone. */
  send(message: SseMessage): boolean;
  /** Queues a message already framed by {@link encodeSseMessage} (one encoding shared by many streams). */
  sendEncoded(frame: Uint8Array): boolean;
  /**
   * Hands framed messages to the client now, after whatever waits: for a batch already coalesced
   * (one batch shared by many streams, encoded once for all that ask for the same encoding). False
   * (and the stream closed) when the client was too slow.
   */
  sendBatch(batch: SseBatch): boolean;
  /** Ends the stream. */
  close(): void;
  /** Resolves when the stream ended, for whatever reason. */
  readonly closed: Promise<void>;
}

const encoder = new TextEncoder();

/** The bytes of one SSE message on the wire. */
function encodeSseMessage(message: SseMessage): Uint8Array {
  return encoder.encode(frameSseMessage(message));
}

/** The text of one SSE message on the wire. */
export function frameSseMessage(message: SseMessage): string {
  let text = '';
  if (message.id !== undefined) text += `id: ${message.id}\n`;
  if (message.event !== undefined) text += `event: ${message.event}\n`;
  if (!message.data.includes('\n')) return `${text}data: ${message.data}\n\n`;
  for (const line of message.data.split('\n')) text += `data: ${line}\n`;
  return `${text}\n`;
}

/** How a stream's bytes travel: as they are, or as raw deflate (see ./sse-deflate). */
export type SseEncoding = 'identity' | 'deflate';

const identityHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
  vary: 'accept-encoding',
};
const deflateHeaders = { ...identityHeaders, 'content-encoding': 'deflate' };

/** Where a stream's bytes go: the client's side of the connection, as seen by the writer. */
interface SseSink {
  /** The response to answer the request with. */
  readonly response: Response;
  /** Bytes handed over that the client has not taken yet. */
  waiting(): number;
  put(chunk: Uint8Array): void;
  /** Ends the stream once what was handed over has left. */
  end(): void;
  /** Cuts the connection now, with whatever still waits for the client. */
  abort(): void;
}

/**
 * A sink on Node's own response, for a request that came over a socket: each chunk is one write on
 * it, with no web stream between (no reader, no promise per chunk). What the socket has not sent yet
 * is what the client has not taken. The request's adapter is told that the answer is already sent.
 */
function nodeSink(outgoing: ServerResponse, headers: Record<string, string>, onGone: () => void): SseSink {
  outgoing.writeHead(200, headers);
  outgoing.once('close', onGone);
  return {
    response: alreadySent(),
    waiting: () => outgoing.writableLength,
    put: (chunk) => void outgoing.write(chunk),
    end: () => outgoing.end(),
    abort: () => outgoing.destroy(),
  };
}

/** A sink on a web stream, for a request answered in process (no socket to write on). */
function webSink(maxQueuedBytes: number, headers: Record<string, string>, onGone: () => void): SseSink {
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  const body = new ReadableStream<Uint8Array>(
    {
      start(created) {
        controller = created;
      },
      cancel: onGone,
    },
    { highWaterMark: maxQueuedBytes, size: (chunk) => chunk.byteLength },
  );
  return {
    response: new Response(body, { headers }),
    waiting: () => maxQueuedBytes - (controller?.desiredSize ?? 0),
    put: (chunk) => controller?.enqueue(chunk),
    end: () => {
      try {
        controller?.close();
      } catch {
        // Already errored or cancelled by the client.
      }
    },
    abort: () => controller?.error(new Error('the client fell too far behind')),
  };
}

/**
 * Node's own `Response`, as the global's definition. Reading the global loads Node's fetch implementation
 * (about 35 ms), which `ngb serve` must not pay before it is ready, so it is read at the first answer.
 * It is kept apart because @hono/node-server's listener replaces the global with a lighter class whose
 * answers take a path that ignores the "already sent" header below.
 */
const nodeResponse = Object.getOwnPropertyDescriptor(globalThis, 'Response');
let alreadySentAnswer: Response | undefined;

/** The answer that tells @hono/node-server the response was written on the socket directly. */
function alreadySent(): Response {
  const NodeResponse = (nodeResponse?.get?.call(globalThis) ?? nodeResponse?.value ?? Response) as typeof Response;
  alreadySentAnswer ??= new NodeResponse(null, { headers: { 'x-hono-already-sent': 'true' } });
  return alreadySentAnswer;
}

/**
 * Opens an SSE response. Messages wait in a queue of at most `maxQueuedBytes`; a client that lets
 * it fill is cut off (it reconnects with `Last-Event-ID` and loses nothing the bus still holds),
 * so a slow reader costs the sender one comparison, never a wait. Messages written within
 * `coalesceMs` of each other leave in one write: fifty clients cost fifty socket writes per
 * interval, not per event. A comment is sent every `heartbeatMs` so proxies and clients can tell
 * a quiet stream from a dead one. With `outgoing` (Node's response, when the request came over a
 * socket) the bytes are written on it directly; without, the response carries a web stream. With the
 * `deflate` encoding, what the stream writes itself leaves as a segment of its own per write, and a
 * shared batch leaves as the segment made once for every stream.
 */
export function openSseStream(
  options: {
    maxQueuedBytes?: number;
    heartbeatMs?: number;
    coalesceMs?: number;
    onClose?: () => void;
    outgoing?: ServerResponse;
    encoding?: SseEncoding;
  } = {},
): SseStream {
  const deflate = options.encoding === 'deflate';
  const headers = deflate ? deflateHeaders : identityHeaders;
  const maxQueuedBytes = options.maxQueuedBytes ?? 1024 * 1024;
  const coalesceMs = options.coalesceMs ?? 50;
  const flushBytes = Math.min(64 * 1024, maxQueuedBytes);
  let open = true;
  let heartbeat: NodeJS.Timeout | undefined;
  let flushTimer: NodeJS.Timeout | undefined;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  const finish = () => {
    if (!open) return;
    open = false;
    clearInterval(heartbeat);
    clearTimeout(flushTimer);
    pending = [];
    options.onClose?.();
    resolveClosed();
  };
  const sink = options.outgoing ? nodeSink(options.outgoing, headers, finish) : webSink(maxQueuedBytes, headers, finish);
  // What the client has not taken yet is the sink's queue plus what waits here: checked when the
  // waiting part is handed over, so that a message costs an array push, not a look into the sink.
  // A shared batch (already encoded) leaves after what waits. False when the client is too far
  // behind: the caller drops it.
  const handOver = (shared?: Uint8Array): boolean => {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    if (!open) return false;
    if (pending.length === 0 && shared === undefined) return true;
    if (sink.waiting() + pendingBytes + (shared?.byteLength ?? 0) > maxQueuedBytes) return false;
    if (pending.length > 0) {
      const chunk = pending.length === 1 ? (pending[0] as Uint8Array) : Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      sink.put(deflate ? deflateSegment(chunk) : chunk);
    }
    if (shared !== undefined) sink.put(shared);
    return true;
  };
  // A client too far behind is cut off at once: what it has not taken is not kept for it.
  const flush = (shared?: Uint8Array) => {
    if (handOver(shared)) return;
    sink.abort();
    finish();
  };
  const write = (bytes: Uint8Array): boolean => {
    if (!open) return false;
    pending.push(bytes);
    pendingBytes += bytes.byteLength;
    // A burst (a replay after a reconnect) goes out in pieces rather than waiting for the timer.
    if (pendingBytes >= flushBytes) flush();
    else flushTimer ??= setTimeout(() => flush(), coalesceMs);
    return open;
  };
  const sendBatch = (batch: SseBatch): boolean => {
    if (!open) return false;
    flush(deflate ? batch.deflated() : batch.identity);
    return open;
  };
  const close = () => {
    if (!open) return;
    if (handOver() && deflate) sink.put(deflateEnd);
    sink.end();
    finish();
  };
  const keepAlive = encoder.encode(': keep-alive\n\n');
  heartbeat = setInterval(() => write(keepAlive), options.heartbeatMs ?? 15_000);
  heartbeat.unref();
  write(encoder.encode(': connected\n\n'));
  return {
    response: sink.response,
    send: (message) => write(encodeSseMessage(message)),
    sendEncoded: write,
    sendBatch,
    close,
    closed,
  };
}
