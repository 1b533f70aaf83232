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
 * `Last-Event-ID`, so a dropped connection loses nothing the gateway still buffers.
 * @returns whether the stream is connected now
 */
export function useGatewayEvents(filter: string, onEvent: (event: GatewayEvent) => void, enabled = true): boolean {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    const source = new EventSource(`/api/events${filter}`);
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.onmessage = (message) => {
      try {
        handler.current(JSON.parse(message.data) as GatewayEvent);
      } catch {
        // A frame that is not JSON is not an event of ours.
      }
    };
    return () => {
      source.close();
      setConnected(false);
    };
  }, [filter, enabled]);
  return connected;
}
