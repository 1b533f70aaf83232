import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';

/** An envelope the fake sent over a socket, and whether the client acknowledged it. */
export interface FakeSlackEnvelope {
  envelopeId: string;
  /** `events_api`, or another envelope type such as `slash_commands`. */
  type: string;
  payload: Record<string, unknown>;
  /** The `retry_attempt` it was last sent with (0 the first time, one more on each resend). */
  retryAttempt: number;
  /** How many times it was sent. */
  deliveries: number;
  acked: boolean;
  /** The payload the client's ack carried. */
  ackPayload?: unknown;
}

/**
 * The Socket Mode side of the fake: tickets from `apps.connections.open`, the `hello` frame, envelopes
 * delivered to the newest open connection (queued while none is open), acks checked by `envelope_id`,
 * unacknowledged envelopes sent again with `retry_attempt` + 1 to the next connection, and the faults
 * of a real deployment: silence without closing, `disconnect` frames, dropped sockets.
 */
export function createFakeSlackSocket(appId: string) {
  const server = new WebSocketServer({ noServer: true });
  const tickets = new Set<string>();
  const open: WebSocket[] = [];
  const envelopes: FakeSlackEnvelope[] = [];
  const ackWaiters = new Map<string, Array<() => void>>();
  let ticketCounter = 0;
  let envelopeCounter = 0;
  const silent = new Set<WebSocket>();
  let connectionsOpened = 0;
  let withholdHello = false;

  const frame = (envelope: FakeSlackEnvelope) => {
    envelope.retryAttempt = envelope.deliveries;
    envelope.deliveries += 1;
    return JSON.stringify({
      envelope_id: envelope.envelopeId,
      payload: envelope.payload,
      type: envelope.type,
      accepts_response_payload: false,
      retry_attempt: envelope.retryAttempt,
      retry_reason: envelope.retryAttempt > 0 ? 'timeout' : '',
    });
  };

  const newest = () => open.filter((socket) => !silent.has(socket)).at(-1);

  function sendPending(socket: WebSocket): void {
    for (const envelope of envelopes) {
      if (envelope.acked) continue;
      socket.send(frame(envelope));
    }
  }

  function onAck(text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof parsed !== 'object' || parsed === null) return;
    const { envelope_id: envelopeId, payload } = parsed as { envelope_id?: unknown; payload?: unknown };
    const envelope = envelopes.find((candidate) => candidate.envelopeId === envelopeId);
    if (!envelope) return;
    envelope.acked = true;
    envelope.ackPayload = payload;
    for (const wake of ackWaiters.get(envelope.envelopeId) ?? []) wake();
    ackWaiters.delete(envelope.envelopeId);
  }

  server.on('connection', (socket: WebSocket) => {
    connectionsOpened += 1;
    open.push(socket);
    socket.on('message', (data) => onAck(data.toString()));
    socket.on('close', () => {
      const index = open.indexOf(socket);
      if (index >= 0) open.splice(index, 1);
      silent.delete(socket);
    });
    if (withholdHello) return;
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: open.length,
        debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: appId },
      }),
    );
    // Slack resends what was not acknowledged; a new connection is where it arrives.
    sendPending(socket);
  });

  return {
    /** A one-time ticket for `apps.connections.open`. */
    newTicket(): string {
      ticketCounter += 1;
      const ticket = `ticket-${ticketCounter}`;
      tickets.add(ticket);
      return ticket;
    },
    /** Upgrades `/link/?ticket=…`; an unknown or used ticket gets 401. */
    upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
      const ticket = new URL(request.url ?? '/', 'http://fake').searchParams.get('ticket') ?? '';
      if (!tickets.delete(ticket)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
        return;
      }
      server.handleUpgrade(request, socket, head, (ws) => server.emit('connection', ws, request));
    },
    /** Queues an envelope and sends it to the newest connection unless silent. */
    deliver(type: string, payload: Record<string, unknown>): FakeSlackEnvelope {
      envelopeCounter += 1;
      const envelope: FakeSlackEnvelope = {
        envelopeId: `env-${String(envelopeCounter).padStart(6, '0')}`,
        type,
        payload,
        retryAttempt: 0,
        deliveries: 0,
        acked: false,
      };
      envelopes.push(envelope);
      newest()?.send(frame(envelope));
      return envelope;
    },
    /** Sends an envelope again (with `retry_attempt` one more), as Slack does after an ack timeout. */
    redeliver(envelopeId: string): void {
      const envelope = envelopes.find((candidate) => candidate.envelopeId === envelopeId);
      if (!envelope) throw new Error(`[@ngb/testing] fake Slack: no envelope ${envelopeId}`);
      // A redelivered envelope waits for its own ack.
      envelope.acked = false;
      newest()?.send(frame(envelope));
    },
    /** Resolves once the client acknowledged the envelope. */
    waitForAck(envelopeId: string): Promise<void> {
      const envelope = envelopes.find((candidate) => candidate.envelopeId === envelopeId);
      if (envelope?.acked) return Promise.resolve();
      return new Promise((resolve) => {
        ackWaiters.set(envelopeId, [...(ackWaiters.get(envelopeId) ?? []), resolve]);
      });
    },
    envelopes: (): readonly FakeSlackEnvelope[] => envelopes,
    /**
     * Makes the connections open now go silent (no events, no pings) without closing them, as a
     * "connected but deaf" Socket Mode connection does; connections opened later work. What waited
     * goes to the next working connection.
     */
    silence(): void {
      for (const socket of open) silent.add(socket);
    },
    /** Ends {@link silence} and sends what waited to the newest connection. */
    speak(): void {
      silent.clear();
      const socket = newest();
      if (socket) sendPending(socket);
    },
    /** Makes new connections open but never say hello (nor deliver anything), or say it again. */
    setWithholdHello(value: boolean): void {
      withholdHello = value;
    },
    /** Sends `{type:'disconnect', reason}` on every open connection, as Slack does before recycling one. */
    sendDisconnect(reason: string): void {
      for (const socket of open)
        socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } }));
    },
    /** Drops every connection without a close frame. */
    drop(): void {
      for (const socket of [...open]) socket.terminate();
    },
    /** Sends a WebSocket ping frame on every open connection that is not silent. */
    ping(): void {
      for (const socket of open) if (!silent.has(socket)) socket.ping('fake-slack');
    },
    openConnections: () => open.length,
    connectionsOpened: () => connectionsOpened,
    close(): void {
      for (const socket of [...open]) socket.terminate();
      server.close();
    },
  };
}
