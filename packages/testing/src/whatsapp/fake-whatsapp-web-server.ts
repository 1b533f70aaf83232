// A loopback stand-in for WhatsApp Web's WebSocket endpoint. Baileys' Noise handshake and binary
// protocol cannot be served here: the server accepts the connection, reads the client's first frame
// (the handshake's hello) and closes, which Baileys reports as a close with status 428. Enough to run
// a real Baileys socket's connect, close and reconnect path.
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

/** A running stand-in (see the file comment). */
export interface FakeWhatsAppWebServer {
  /** `ws://127.0.0.1:<port>/ws/chat`, for Baileys' `waWebSocketUrl`. */
  readonly url: string;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** Starts the stand-in on 127.0.0.1 (a free port). */
export async function createFakeWhatsAppWebServer(): Promise<FakeWhatsAppWebServer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/ws/chat' });
  let accepted = 0;
  server.on('connection', (socket) => {
    accepted += 1;
    socket.once('message', () => socket.close());
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ws/chat`,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
