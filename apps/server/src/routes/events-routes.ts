import { randomBytes } from 'node:crypto';
import { ServerResponse } from 'node:http';
import type { Gateway, TimedGatewayEvent } from '@ngb/core';
import type { Store } from '@ngb/plugin-sdk';
import { Hono } from 'hono';
import { jsonError } from '../http/json-error';
import { acceptsDeflate } from '../http/sse-deflate';
import { frameSseMessage, openSseStream, type SseStream } from '../http/sse-stream';
import { createEventFanOut } from './event-fan-out';

/** The open event streams of a server, closed together when it shuts down. */
export interface EventStreams {
  closeAll(): void;
  count(): number;
}

function sessionOf(event: TimedGatewayEvent): string | undefined {
  return 'sessionId' in event ? event.sessionId : undefined;
}

/** Where a session belongs, remembered for the agent filter (bounded: oldest forgotten first). */
function createSessionAgents(store: Store, limit = 10_000) {
  const known = new Map<string, string>();
  const remember = (sessionId: string, agentId: string) => {
    if (known.size >= limit) known.delete(known.keys().next().value as string);
    known.set(sessionId, agentId);
  };
  return {
    learn(event: TimedGatewayEvent) {
      if ((event.type === 'turn.start' || event.type === 'message.routed') && !known.has(event.sessionId)) {
        remember(event.sessionId, event.agentId);
      }
    },
    async agentOf(sessionId: string): Promise<string | undefined> {
      const cached = known.get(sessionId);
      if (cached !== undefined) return cached;
      const session = await store.sessions.get(sessionId).catch(() => undefined);
      if (session) remember(sessionId, session.agentId);
      return session?.agentId;
    },
  };
}

/** Node's response for a request that came over a socket (set by @hono/node-server), for direct writes. */
function outgoingOf(env: unknown): ServerResponse | undefined {
  const outgoing = (env as { outgoing?: unknown } | undefined)?.outgoing;
  return outgoing instanceof ServerResponse ? outgoing : undefined;
}

/** Where a stream resumes: after `after` in this run's bus; `restarted` when the client's last event came from another run. */
interface ResumePoint {
  after: number;
  restarted: boolean;
}

/**
 * Where a stream resumes, from `Last-Event-ID` (or `?after=`). The ids the stream sends are
 * `<run>-<seq>`, `run` naming this process: the bus counts from 1 again after a restart, so a tab open
 * across one would otherwise resume after a number that here names other events, or none yet, and miss
 * this run's first events (its channels coming up). An id of another run, or a number this run has not
 * reached, resumes from the start of this run's buffer, `restarted`. A bare number is taken as this run's.
 */
function resumePoint(value: string | undefined, run: string, lastSeq: number): ResumePoint | undefined | 'invalid' {
  if (value === undefined || value === '') return undefined;
  const parts = /^(?:([0-9a-z]{1,16})-)?(\d{1,15})$/.exec(value);
  if (parts === null) return 'invalid';
  const seq = Number(parts[2]);
  const sameRun = (parts[1] === undefined || parts[1] === run) && seq <= lastSeq;
  return sameRun ? { after: seq, restarted: false } : { after: 0, restarted: true };
}

/**
 * `GET /api/events`: the gateway's events as Server-Sent Events, each with `<run>-<seq>` as `id`
 * ({@link resumePoint}). `?session=` and `?agent=` filter; `Last-Event-ID` (or `?after=`) resumes after an event,
 * replaying what the bus still holds — a `missed` event says when some were already gone. A client
 * whose `Accept-Encoding` names deflate (every browser's does) gets the stream compressed: the
 * unfiltered clients share each batch's compressed bytes, made once.
 */
export function eventsRoutes(gateway: Gateway, store: Store): { app: Hono; streams: EventStreams } {
  const open = new Set<SseStream>();
  const run = randomBytes(4).toString('hex');
  // Each live event is serialized once, however many clients receive it: the bus hands it to every
  // listener in turn, so the latest one is enough. Keeping the bytes of every buffered event (a
  // WeakMap keyed by the event) doubled what the bus's buffer weighs; a replay encodes again.
  type Framed = { event: TimedGatewayEvent; text: string; bytes?: Uint8Array };
  let latest: Framed | undefined;
  const framed = (event: TimedGatewayEvent): Framed => {
    if (latest?.event !== event)
      latest = { event, text: frameSseMessage({ id: `${run}-${event.seq}`, data: JSON.stringify(event) }) };
    return latest;
  };
  const frame = (event: TimedGatewayEvent) => framed(event).text;
  const encode = (event: TimedGatewayEvent) => {
    const current = framed(event);
    current.bytes ??= Buffer.from(current.text);
    return current.bytes;
  };
  // The clients that take every event (the dashboard's tabs, `ngb logs -f`) share one listener and
  // one batch per interval; only filtered clients have a listener of their own.
  const everyEvent = createEventFanOut(gateway.events, frame);
  const sessions = createSessionAgents(store);
  gateway.events.on((event) => sessions.learn(event));
  const app = new Hono();
  app.get('/', async (context) => {
    const resume = resumePoint(context.req.header('last-event-id') ?? context.req.query('after'), run, gateway.events.lastSeq());
    if (resume === 'invalid')
      return jsonError(400, 'invalid_request', 'Last-Event-ID / after must be an event id this stream sent');
    const after = resume?.after;
    const sessionFilter = context.req.query('session');
    const agentFilter = context.req.query('agent');
    let unsubscribe: () => void = () => undefined;
    const stream = openSseStream({
      onClose: () => unsubscribe(),
      outgoing: outgoingOf(context.env),
      encoding: acceptsDeflate(context.req.header('accept-encoding')) ? 'deflate' : 'identity',
    });
    open.add(stream);
    void stream.closed.then(() => open.delete(stream));
    // Told once: when events after the client's last one already left the buffer, or went with the run
    // that sent it (a restart).
    let missedTold = false;
    const onMissed = () => {
      if (missedTold) return;
      missedTold = true;
      stream.send({ event: 'missed', data: JSON.stringify(resume?.restarted ? { after, restarted: true } : { after }) });
    };
    if (resume?.restarted) onMissed();
    if (sessionFilter === undefined && agentFilter === undefined) {
      unsubscribe = everyEvent.join(stream, { after, onMissed });
      return stream.response;
    }
    const deliver = (event: TimedGatewayEvent) => stream.sendEncoded(encode(event));
    // Order matters and a store lookup is asynchronous: events wait in line behind a pending lookup.
    let line = Promise.resolve();
    const listener = (event: TimedGatewayEvent) => {
      if (sessionFilter !== undefined && sessionOf(event) !== sessionFilter) return;
      if (agentFilter === undefined) {
        deliver(event);
        return;
      }
      const sessionId = sessionOf(event);
      const direct = 'agentId' in event ? event.agentId : undefined;
      if (direct !== undefined || sessionId === undefined) {
        if (direct === agentFilter) line = line.then(() => void deliver(event));
        return;
      }
      line = line.then(async () => {
        if ((await sessions.agentOf(sessionId)) === agentFilter) deliver(event);
      });
    };
    unsubscribe = gateway.events.on(listener, { after: after ?? gateway.events.lastSeq(), onMissed });
    return stream.response;
  });
  return {
    app,
    streams: {
      closeAll: () => {
        for (const stream of open) stream.close();
      },
      count: () => open.size,
    },
  };
}
