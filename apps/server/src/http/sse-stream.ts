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
   * (one chunk shared by many streams). False (and the stream closed) when the client was too slow.
   */
  sendBatch(chunk: Uint8Array): boolean;
  /** Ends the stream. */
  close(): void;
  /** Resolves when the stream ended, for whatever reason. */
  readonly closed: Promise<void>;
}

const encoder = new TextEncoder();

/** The bytes of one SSE message on the wire. */
export function encodeSseMessage(message: SseMessage): Uint8Array {
  return encoder.encode(frame(message));
}

function frame(message: SseMessage): string {
  let text = '';
  if (message.id !== undefined) text += `id: ${message.id}\n`;
  if (message.event !== undefined) text += `event: ${message.event}\n`;
  if (!message.data.includes('\n')) return `${text}data: ${message.data}\n\n`;
  for (const line of message.data.split('\n')) text += `data: ${line}\n`;
  return `${text}\n`;
}

/**
 * Opens an SSE response. Messages wait in a queue of at most `maxQueuedBytes`; a client that lets
 * it fill is cut off (it reconnects with `Last-Event-ID` and loses nothing the bus still holds),
 * so a slow reader costs the sender one comparison, never a wait. Messages written within
 * `coalesceMs` of each other leave in one write: fifty clients cost fifty socket writes per
 * interval, not per event. A comment is sent every `heartbeatMs` so proxies and clients can tell
 * a quiet stream from a dead one.
 */
export function openSseStream(
  options: { maxQueuedBytes?: number; heartbeatMs?: number; coalesceMs?: number; onClose?: () => void } = {},
): SseStream {
  const maxQueuedBytes = options.maxQueuedBytes ?? 1024 * 1024;
  const coalesceMs = options.coalesceMs ?? 50;
  const flushBytes = Math.min(64 * 1024, maxQueuedBytes);
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
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
  const body = new ReadableStream<Uint8Array>(
    {
      start(created) {
        controller = created;
      },
      cancel() {
        finish();
      },
    },
    { highWaterMark: maxQueuedBytes, size: (chunk) => chunk.byteLength },
  );
  // What the client has not taken yet is the stream's queue plus what waits here: checked when the
  // waiting part is handed over, so that a message costs an array push, not a look into the stream.
  // False when the client is too far behind: the caller drops it.
  const handOver = (): boolean => {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    if (!open || !controller || pending.length === 0) return open;
    if ((controller.desiredSize ?? 0) - pendingBytes < 0) return false;
    const chunk = pending.length === 1 ? (pending[0] as Uint8Array) : Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    controller.enqueue(chunk);
    return true;
  };
  const flush = () => {
    if (!handOver()) close();
  };
  const write = (bytes: Uint8Array): boolean => {
    if (!open || !controller) return false;
    pending.push(bytes);
    pendingBytes += bytes.byteLength;
    // A burst (a replay after a reconnect) goes out in pieces rather than waiting for the timer.
    if (pendingBytes >= flushBytes) flush();
    else flushTimer ??= setTimeout(flush, coalesceMs);
    return open;
  };
  const sendBatch = (chunk: Uint8Array): boolean => {
    if (!open || !controller) return false;
    pending.push(chunk);
    pendingBytes += chunk.byteLength;
    flush();
    return open;
  };
  const close = () => {
    if (!open) return;
    handOver();
    try {
      controller?.close();
    } catch {
      // Already errored or cancelled by the client.
    }
    finish();
  };
  const keepAlive = encoder.encode(': keep-alive\n\n');
  heartbeat = setInterval(() => write(keepAlive), options.heartbeatMs ?? 15_000);
  heartbeat.unref();
  write(encoder.encode(': connected\n\n'));
  const response = new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
  return { response, send: (message) => write(encodeSseMessage(message)), sendEncoded: write, sendBatch, close, closed };
}
