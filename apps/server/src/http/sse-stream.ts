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
  /** Ends the stream. */
  close(): void;
  /** Resolves when the stream ended, for whatever reason. */
  readonly closed: Promise<void>;
}

const encoder = new TextEncoder();

function frame(message: SseMessage): string {
  let text = '';
  if (message.id !== undefined) text += `id: ${message.id}\n`;
  if (message.event !== undefined) text += `event: ${message.event}\n`;
  for (const line of message.data.split('\n')) text += `data: ${line}\n`;
  return `${text}\n`;
}

/**
 * Opens an SSE response. Messages wait in a queue of at most `maxQueuedBytes`; a client that lets
 * it fill is cut off (it reconnects with `Last-Event-ID` and loses nothing the bus still holds),
 * so a slow reader costs the sender one comparison, never a wait. A comment is sent every
 * `heartbeatMs` so proxies and clients can tell a quiet stream from a dead one.
 */
export function openSseStream(options: { maxQueuedBytes?: number; heartbeatMs?: number; onClose?: () => void } = {}): SseStream {
  const maxQueuedBytes = options.maxQueuedBytes ?? 1024 * 1024;
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let open = true;
  let heartbeat: NodeJS.Timeout | undefined;
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  const finish = () => {
    if (!open) return;
    open = false;
    clearInterval(heartbeat);
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
  const write = (text: string): boolean => {
    if (!open || !controller) return false;
    if ((controller.desiredSize ?? 0) <= 0) {
      close();
      return false;
    }
    controller.enqueue(encoder.encode(text));
    return true;
  };
  const close = () => {
    if (!open) return;
    try {
      controller?.close();
    } catch {
      // Already errored or cancelled by the client.
    }
    finish();
  };
  heartbeat = setInterval(() => write(': keep-alive\n\n'), options.heartbeatMs ?? 15_000);
  heartbeat.unref();
  write(': connected\n\n');
  const response = new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
  return { response, send: (message) => write(frame(message)), close, closed };
}
