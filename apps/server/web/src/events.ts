import { useEffect, useRef, useState } from 'preact/hooks';

/** One gateway event as `/api/events` sends it: the type, when, its sequence number, and its fields. */
export interface GatewayEvent {
  type: string;
  at: number;
  seq: number;
  [field: string]: unknown;
}

/**
 * Follows `/api/events` (filtered by `filter`) while mounted. EventSource reconnects by itself with
 * `Last-Event-ID`, so a dropped connection loses nothing the gateway still buffers; when it did lose
 * some (they left the buffer, or the gateway restarted meanwhile), `onMissed` is called, for the view to
 * read again what the events would have told it. Not on the first connection: what happened before it
 * is in what the view read as it opened.
 * @returns whether the stream is connected now
 */
export function useGatewayEvents(
  filter: string,
  onEvent: (event: GatewayEvent) => void,
  options: { enabled?: boolean; onMissed?: () => void } = {},
): boolean {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const missedHandler = useRef(options.onMissed);
  missedHandler.current = options.onMissed;
  const enabled = options.enabled ?? true;
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    const source = new EventSource(`/api/events${filter}`);
    let connections = 0;
    source.onopen = () => {
      connections += 1;
      setConnected(true);
    };
    source.onerror = () => setConnected(false);
    source.onmessage = (message) => {
      try {
        handler.current(JSON.parse(message.data) as GatewayEvent);
      } catch {
        // A frame that is not JSON is not an event of ours.
      }
    };
    source.addEventListener('missed', () => {
      if (connections > 1) missedHandler.current?.();
    });
    return () => {
      source.close();
      setConnected(false);
    };
  }, [filter, enabled]);
  return connected;
}
