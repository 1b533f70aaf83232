// The long connection of the fake Feishu: the endpoint lookup's answer and a WebSocket server speaking
// Feishu's `pbbp2.Frame` protobuf framing, as the Lark SDK's `WSClient` reads it. Pings (control frames)
// are answered with pongs; events go out as data frames (headers type, message_id, sum, seq, trace_id)
// and the client's response frames (`{"code":200}`) are recorded as acks; an event not acked with 200
// is sent again on the next connection, as Feishu redelivers.

import type { Server } from 'node:http';
import protobuf from 'protobufjs';
import { type WebSocket, WebSocketServer } from 'ws';

// The schema of the frames, as the SDK declares it.
const frameSchema = `
syntax = "proto2";
package pbbp2;
message Header { required string key = 1; required string value = 2; }
message Frame {
  required uint64 SeqID = 1;
  required uint64 LogID = 2;
  required int32 service = 3;
  required int32 method = 4;
  repeated Header headers = 5;
  optional string payload_encoding = 6;
  optional string payload_type = 7;
  optional bytes payload = 8;
  optional string LogIDNew = 9;
}`;

let frameType: protobuf.Type | undefined;

/** `pbbp2.Frame`, parsed once from the schema above. */
function frames(): protobuf.Type {
  frameType ??= protobuf.parse(frameSchema).root.lookupType('pbbp2.Frame');
  return frameType;
}

/** A decoded frame. */
interface FakeFeishuFrame {
  SeqID: number;
  LogID: number;
  service: number;
  /** 0 control, 1 data. */
  method: number;
  headers: Array<{ key: string; value: string }>;
  payload?: Uint8Array;
}

/** Encodes a frame. */
function encodeFrame(frame: FakeFeishuFrame): Uint8Array {
  return frames()
    .encode({ ...frame })
    .finish();
}

/** Decodes a frame. */
function decodeFrame(data: Uint8Array): FakeFeishuFrame {
  const type = frames();
  return type.toObject(type.decode(data), { longs: Number, defaults: true }) as unknown as FakeFeishuFrame;
}

const serviceId = 1;
/** What the fake tells the client in the lookup and in each pong (seconds). */
const clientConfig = { PingInterval: 1, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 0 };

/** An ack the client sent for an event. */
export interface FakeFeishuAck {
  /** The frame's `message_id` header (one per event). */
  messageId: string;
  /** The `code` of its payload: 200 handled, 500 failed (Feishu sends the event again). */
  code: number;
}

interface Pending {
  messageId: string;
  payload: Uint8Array;
  /** The connection it was last sent on. */
  socket?: WebSocket;
  waiters: Array<{ resolve(code: number): void; reject(error: Error): void }>;
}

/** The fake's long connection, attached to its HTTP server. */
export function createFakeFeishuLongConnection(server: Server, baseUrl: string) {
  const wss = new WebSocketServer({ server, path: '/ws' });
  const sockets = new Set<WebSocket>();
  const silent = new WeakSet<WebSocket>();
  const pinged = new WeakSet<WebSocket>();
  const acks: FakeFeishuAck[] = [];
  const pending = new Map<string, Pending>();
  let pings = 0;
  let connections = 0;
  let seq = 0;

  const send = (socket: WebSocket, item: Pending) => {
    seq += 1;
    item.socket = socket;
    socket.send(
      encodeFrame({
        SeqID: seq,
        LogID: seq,
        service: serviceId,
        method: 1,
        headers: [
          { key: 'type', value: 'event' },
          { key: 'message_id', value: item.messageId },
          { key: 'sum', value: '1' },
          { key: 'seq', value: '0' },
          { key: 'trace_id', value: `trace_${item.messageId}` },
        ],
        payload: item.payload,
      }),
    );
  };

  wss.on('connection', (socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      for (const item of pending.values()) {
        if (item.socket !== socket) continue;
        for (const waiter of item.waiters.splice(0))
          waiter.reject(new Error('[@ngb/testing] the long connection closed before the ack'));
      }
    });
    socket.on('message', (data: Buffer) => {
      let frame: FakeFeishuFrame;
      try {
        frame = decodeFrame(new Uint8Array(data));
      } catch {
        socket.close(1002, 'not a pbbp2.Frame');
        return;
      }
      const header = (key: string) => frame.headers.find((item) => item.key === key)?.value;
      if (frame.method === 0 && header('type') === 'ping') {
        pings += 1;
        if (!pinged.has(socket)) {
          pinged.add(socket);
          // Feishu delivers again what was not acknowledged with 200, once the client is listening.
          for (const item of pending.values()) if (item.socket !== socket) send(socket, item);
        }
        if (silent.has(socket)) return;
        socket.send(
          encodeFrame({
            SeqID: 0,
            LogID: 0,
            service: serviceId,
            method: 0,
            headers: [{ key: 'type', value: 'pong' }],
            payload: new TextEncoder().encode(JSON.stringify(clientConfig)),
          }),
        );
        return;
      }
      if (frame.method === 1) {
        const messageId = header('message_id') ?? '';
        let code = 0;
        try {
          code = Number((JSON.parse(new TextDecoder().decode(frame.payload)) as { code?: unknown }).code);
        } catch {
          code = 0;
        }
        acks.push({ messageId, code });
        const item = pending.get(messageId);
        if (!item) return;
        if (code === 200) pending.delete(messageId);
        for (const waiter of item.waiters.splice(0)) waiter.resolve(code);
      }
    });
  });

  return {
    /** The lookup's answer for the app's credentials (checked by the caller). */
    endpoint() {
      return {
        code: 0,
        msg: 'ok',
        data: {
          URL: `${baseUrl.replace(/^http/, 'ws')}/ws?device_id=fake_device&service_id=${serviceId}`,
          ClientConfig: clientConfig,
        },
      };
    },
    /**
     * Sends an event (its envelope) on the open connection; @returns the ack's code once the client acks it.
     * Not acked with 200, it is sent again on the next connection.
     */
    deliver(envelope: unknown, messageId: string): Promise<number> {
      const open = [...sockets].filter((socket) => socket.readyState === socket.OPEN);
      const socket = open[open.length - 1];
      if (!socket) return Promise.reject(new Error('[@ngb/testing] no long connection is open'));
      const item: Pending = {
        messageId,
        payload: new TextEncoder().encode(JSON.stringify(envelope)),
        waiters: [],
      };
      pending.set(messageId, item);
      const acked = new Promise<number>((resolve, reject) => item.waiters.push({ resolve, reject }));
      send(socket, item);
      return acked;
    },
    goSilent() {
      for (const socket of sockets) silent.add(socket);
    },
    dropConnections() {
      for (const socket of sockets) socket.terminate();
    },
    openConnections: () => [...sockets].filter((socket) => socket.readyState === socket.OPEN).length,
    connections: () => connections,
    pings: () => pings,
    acks: () => acks.map((ack) => ({ ...ack })),
    close() {
      for (const socket of sockets) socket.terminate();
      wss.close();
    },
  };
}
