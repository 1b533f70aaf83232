// The Stream mode socket of the fake DingTalk: SYSTEM pings (answered with the same data), CALLBACK
// frames kept until acknowledged and delivered again on the next connection when no ack came, a
// `disconnect` frame, silence without closing, and dropped connections.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { FakeDingTalkStreamLog } from './fake-dingtalk-types';

/** A frame the server sends down the stream. */
export interface FakeDingTalkFrame {
  specVersion: '1.0';
  type: 'SYSTEM' | 'EVENT' | 'CALLBACK';
  headers: { topic: string; messageId: string; contentType: 'application/json'; time: string; appId?: string };
  data: string;
}

const robotTopic = '/v1.0/im/bot/messages/get';

/** The fake's stream side. */
export function createFakeDingTalkStream(appId: string) {
  const server = new WebSocketServer({ noServer: true });
  const tickets = new Set<string>();
  const sockets = new Set<WebSocket>();
  const pending = new Map<string, FakeDingTalkFrame>();
  const log: FakeDingTalkStreamLog = { lookups: 0, connections: 0, acks: [], pongs: 0, redeliveries: 0, subscriptions: [] };
  let silent = false;
  let pingTimer: NodeJS.Timeout | undefined;

  const frame = (type: FakeDingTalkFrame['type'], topic: string, data: unknown): FakeDingTalkFrame => ({
    specVersion: '1.0',
    type,
    headers: { topic, messageId: randomUUID(), contentType: 'application/json', time: String(Date.now()), appId },
    data: JSON.stringify(data),
  });

  const broadcast = (payload: FakeDingTalkFrame) => {
    if (silent) return;
    for (const socket of sockets) socket.send(JSON.stringify(payload));
  };

  server.on('connection', (socket: WebSocket) => {
    sockets.add(socket);
    log.connections += 1;
    socket.on('close', () => sockets.delete(socket));
    socket.on('message', (raw) => {
      if (silent) return;
      let reply: { code?: number; headers?: { messageId?: string; topic?: string } };
      try {
        reply = JSON.parse(String(raw));
      } catch {
        return;
      }
      const messageId = reply.headers?.messageId ?? '';
      if (reply.headers?.topic === 'ping') log.pongs += 1;
      else if (reply.code === 200 && pending.delete(messageId)) log.acks.push(messageId);
    });
    // DingTalk delivers again what the previous connection never acknowledged.
    for (const unacked of pending.values()) {
      log.redeliveries += 1;
      socket.send(JSON.stringify(unacked));
    }
  });

  return {
    log,
    /** A ticket for the next connection. */
    issueTicket(): string {
      const ticket = randomUUID();
      tickets.add(ticket);
      return ticket;
    },
    upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
      const ticket = new URL(request.url ?? '/', 'http://fake.invalid').searchParams.get('ticket') ?? '';
      if (!tickets.delete(ticket)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      server.handleUpgrade(request, socket, head, (upgraded) => server.emit('connection', upgraded, request));
    },
    /** Delivers a robot message; it stays pending until acknowledged. */
    deliver(data: unknown): FakeDingTalkFrame {
      const callback = frame('CALLBACK', robotTopic, data);
      pending.set(callback.headers.messageId, callback);
      broadcast(callback);
      return callback;
    },
    /** Sends a frame as is (a CALLBACK sent this way is pending until acknowledged too). */
    send(payload: FakeDingTalkFrame): void {
      if (payload.type === 'CALLBACK') pending.set(payload.headers.messageId, payload);
      broadcast(payload);
    },
    ping(): void {
      broadcast(frame('SYSTEM', 'ping', { opaque: randomUUID() }));
    },
    pingEvery(intervalMs: number | undefined): void {
      if (pingTimer) clearInterval(pingTimer);
      pingTimer = intervalMs === undefined ? undefined : setInterval(() => this.ping(), intervalMs);
    },
    disconnectFrame(): void {
      broadcast(frame('SYSTEM', 'disconnect', { reason: 'server restarting' }));
    },
    goSilent(): void {
      silent = true;
    },
    speak(): void {
      silent = false;
    },
    terminate(): void {
      for (const socket of sockets) socket.terminate();
    },
    pendingCount: () => pending.size,
    openSockets: () => [...sockets].filter((socket) => socket.readyState === socket.OPEN).length,
    close(): void {
      if (pingTimer) clearInterval(pingTimer);
      for (const socket of sockets) socket.terminate();
      server.close();
    },
  };
}
