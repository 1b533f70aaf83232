// The fake's gateway: Discord's WebSocket protocol (v10, JSON, no compression) for one bot.
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';

/** What the gateway saw, for assertions. */
export interface FakeDiscordGatewayLog {
  /** Connections opened, in total. */
  connections: number;
  /** IDENTIFY payloads received (op 2). */
  identifies: number;
  /** RESUME payloads received (op 6). */
  resumes: number;
  /** Heartbeats received (op 1). */
  heartbeats: number;
  /** Close codes of connections, as the client or the fake closed them. */
  closes: number[];
}

interface Session {
  id: string;
  seq: number;
  /** Events in order, replayed to a RESUME that names an earlier sequence. */
  events: Array<{ s: number; t: string; d: unknown }>;
}

interface Connection {
  socket: WebSocket;
  session: Session | undefined;
}

export interface GatewaySettings {
  token: string;
  heartbeatIntervalMs: number;
  url: () => string;
  ready: () => { user: Record<string, unknown>; guilds: Array<Record<string, unknown>>; applicationId: string };
}

const maxReplay = 1_000;

/** One bot's gateway: sessions, the sockets attached to them, and the switches tests turn. */
export function createFakeDiscordGateway(settings: GatewaySettings) {
  const log: FakeDiscordGatewayLog = { connections: 0, identifies: 0, resumes: 0, heartbeats: 0, closes: [] };
  const connections = new Set<Connection>();
  const sessions = new Map<string, Session>();
  let current: Session | undefined;
  let silent = false;
  let acking = true;
  let invalidateNextResume = false;

  const write = (connection: Connection, payload: unknown) => {
    if (!silent && connection.socket.readyState === connection.socket.OPEN) connection.socket.send(JSON.stringify(payload));
  };

  const dispatchTo = (connection: Connection, t: string, d: unknown, s: number) => write(connection, { op: 0, t, s, d });

  function identify(connection: Connection, token: unknown) {
    log.identifies += 1;
    if (token !== settings.token) return connection.socket.close(4004, 'Authentication failed.');
    const session: Session = { id: randomUUID().replaceAll('-', ''), seq: 0, events: [] };
    sessions.set(session.id, session);
    current = session;
    connection.session = session;
    const { user, guilds, applicationId } = settings.ready();
    session.seq += 1;
    dispatchTo(
      connection,
      'READY',
      {
        v: 10,
        user,
        guilds: guilds.map((guild) => ({ id: guild.id, unavailable: true })),
        session_id: session.id,
        resume_gateway_url: settings.url(),
        shard: [0, 1],
        application: { id: applicationId, flags: 0 },
        private_channels: [],
        relationships: [],
        user_settings: {},
      },
      session.seq,
    );
    for (const guild of guilds) {
      session.seq += 1;
      dispatchTo(connection, 'GUILD_CREATE', guild, session.seq);
    }
  }

  function resume(connection: Connection, data: { token?: unknown; session_id?: unknown; seq?: unknown }) {
    log.resumes += 1;
    if (data.token !== settings.token) return connection.socket.close(4004, 'Authentication failed.');
    const session = typeof data.session_id === 'string' ? sessions.get(data.session_id) : undefined;
    if (!session || invalidateNextResume) {
      invalidateNextResume = false;
      return write(connection, { op: 9, d: false });
    }
    connection.session = session;
    const after = typeof data.seq === 'number' ? data.seq : 0;
    for (const event of session.events) if (event.s > after) dispatchTo(connection, event.t, event.d, event.s);
    session.seq += 1;
    dispatchTo(connection, 'RESUMED', {}, session.seq);
  }

  function onMessage(connection: Connection, raw: string) {
    let payload: { op?: unknown; d?: unknown };
    try {
      payload = JSON.parse(raw) as { op?: unknown; d?: unknown };
    } catch {
      return connection.socket.close(4002, 'Error while decoding payload.');
    }
    const data = (typeof payload.d === 'object' && payload.d !== null ? payload.d : {}) as Record<string, unknown>;
    switch (payload.op) {
      case 1:
        log.heartbeats += 1;
        if (acking) write(connection, { op: 11 });
        return;
      case 2:
        return identify(connection, data.token);
      case 6:
        return resume(connection, data);
      default:
        return;
    }
  }

  return {
    log,
    /** Takes a new WebSocket: says HELLO and speaks the protocol on it. */
    accept(socket: WebSocket) {
      log.connections += 1;
      const connection: Connection = { socket, session: undefined };
      connections.add(connection);
      socket.on('message', (data) => onMessage(connection, data.toString()));
      socket.on('close', (code) => {
        log.closes.push(code);
        connections.delete(connection);
      });
      write(connection, { op: 10, d: { heartbeat_interval: settings.heartbeatIntervalMs } });
    },
    /** Sends an event to the current session (kept for a RESUME when no socket is attached). */
    dispatch(t: string, d: unknown): void {
      const session = current;
      if (!session) return;
      session.seq += 1;
      session.events.push({ s: session.seq, t, d });
      if (session.events.length > maxReplay) session.events.shift();
      for (const connection of connections) if (connection.session === session) dispatchTo(connection, t, d, session.seq);
    },
    setSilent(value: boolean) {
      silent = value;
    },
    setAcking(value: boolean) {
      acking = value;
    },
    invalidateNextResume() {
      invalidateNextResume = true;
    },
    /** Closes every open socket with `code`. */
    closeAll(code: number, reason: string) {
      for (const connection of connections) connection.socket.close(code, reason);
    },
    /** Drops every socket without a close frame, as a broken network would. */
    terminateAll() {
      for (const connection of connections) connection.socket.terminate();
    },
    /** Sockets attached to a session. */
    attached(): number {
      return [...connections].filter((connection) => connection.session !== undefined).length;
    },
  };
}
